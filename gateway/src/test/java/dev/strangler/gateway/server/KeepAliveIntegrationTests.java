package dev.strangler.gateway.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.strangler.gateway.support.RawHttpConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.strangler.gateway.support.RawHttpConnection.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive connections stay usable whatever mix of requests they carry: a client that
 * sends its next request before the gateway has finished with the previous one (it has
 * the whole body, so it may), and then one the gateway answers at once (a cache hit),
 * must get an answer to the request after that too. On both ports; raw sockets, so the
 * requests go exactly as written, on one connection.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret",
				"strangler.routes.location=classpath:routes/cache/" })
class KeepAliveIntegrationTests {

	static final WireMockServer legacy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	static {
		legacy.start();
	}

	@AfterAll
	static void stopLegacy() {
		legacy.stop();
	}

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.port());
	}

	/** Generous for a busy machine, far below the 30 s a hung connection waited. */
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@BeforeEach
	void backend() {
		legacy.resetAll();
		legacy.stubFor(WireMock.get("/cached/slow")
			.willReturn(aResponse().withStatus(200).withFixedDelay(200).withBody("slow")));
		legacy.stubFor(WireMock.get("/cached/fast").willReturn(aResponse().withStatus(200).withBody("fast")));
	}

	/**
	 * The second request arrives while the proxied first is still being finished, so the
	 * server holds it back and serves it afterwards; it is a cache hit, answered at once.
	 * Reactor Netty 1.2 then stopped reading the connection (reactor-netty#4361), and the
	 * third request went unanswered until the client gave up.
	 */
	@Test
	void aRequestAfterAPipelinedCacheHitIsAnswered() throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(this.port, READ_TIMEOUT)) {
			connection.send(get("/cached/fast"));
			assertThat(connection.readResponse().text()).contains("Cache-Status: strangler; fwd=miss; stored")
				.endsWith("fast");

			connection.send(get("/cached/slow") + get("/cached/fast"));
			assertThat(connection.readResponse().text()).endsWith("slow");
			assertThat(connection.readResponse().text()).contains("Cache-Status: strangler; hit").endsWith("fast");

			connection.send(get("/cached/fast"));
			assertThat(connection.readResponse().text()).contains("Cache-Status: strangler; hit").endsWith("fast");
		}
	}

	/**
	 * The same on the management port: an admin call (its password check runs off the
	 * event loop), then a call without credentials, refused at once.
	 */
	@Test
	void aRequestAfterAPipelinedRefusalOnTheManagementPortIsAnswered() throws IOException {
		String credentials = "Authorization: Basic "
				+ Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));
		try (RawHttpConnection connection = new RawHttpConnection(this.managementPort, READ_TIMEOUT)) {
			connection.send(get("/actuator/migration", credentials) + get("/actuator/migration"));
			assertThat(connection.readResponse().text()).startsWith("HTTP/1.1 200");
			assertThat(connection.readResponse().text()).startsWith("HTTP/1.1 401");

			connection.send(get("/actuator/migration", credentials));
			assertThat(connection.readResponse().text()).startsWith("HTTP/1.1 200");
		}
	}

}
