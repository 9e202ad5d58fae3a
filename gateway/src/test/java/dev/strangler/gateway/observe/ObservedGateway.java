package dev.strangler.gateway.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import dev.strangler.testsupport.Ports;

/**
 * One gateway, shared by the observe integration tests (one Spring context), in front of
 * two WireMock servers that live as long as the test JVM: per-class servers would change
 * ports and so break the shared context. Routes in {@code routes/observe/routes.yml};
 * logs as ECS JSON; metrics exported and every trace sampled (Spring Boot's tests turn
 * both off unless asked). At most two mirrors in flight, and a target that hangs on
 * {@code /api/hang/**}, so a test can have mirrors dropped. State (overrides, audit,
 * progressions) in a temporary directory of its own.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/observe/", "strangler.admin.password=observe-admin",
				"logging.structured.format.console=ecs", "management.tracing.sampling.probability=1.0",
				"strangler.shadow.max-in-flight=2" })
abstract class ObservedGateway {

	static final String ADMIN_PASSWORD = "observe-admin";

	static final WireMockServer legacy = started();

	static final WireMockServer target = started();

	/**
	 * Fresh for each test JVM: a progression's state is kept there, and one finished in
	 * an earlier run would decide nothing more (so count no decision) in this one.
	 */
	static final Path STATE_DIR = stateDirectory();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.port());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.port());
		registry.add("test.dead-url", () -> "http://127.0.0.1:" + Ports.closed());
		registry.add("strangler.state.dir", STATE_DIR::toString);
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	WebTestClient client;

	WebTestClient management;

	@BeforeEach
	void stubBackendsAndClients() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
		// Longer than the hang route's shadow timeout (1s): its mirrors end as errors.
		target.stubFor(any(urlPathMatching("/api/hang/.*")).atPriority(1)
			.willReturn(aResponse().withStatus(200).withFixedDelay(5_000).withBody("from target, late")));
		// Generous: the first requests warm up a JVM on a busy two-core machine.
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/** The management port's Prometheus scrape. */
	PrometheusScrape scrape() {
		String text = this.management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return PrometheusScrape.parse(text);
	}

	private static Path stateDirectory() {
		try {
			return Files.createTempDirectory("observe-state");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static WireMockServer started() {
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-wiremock"));
		return server;
	}

}
