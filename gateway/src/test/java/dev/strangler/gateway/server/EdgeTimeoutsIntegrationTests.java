package dev.strangler.gateway.server;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.strangler.gateway.support.RawHttpConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the edge does with clients that hold connections without finishing anything: a
 * request head trickled byte by byte (slowloris) and many idle keep-alive connections.
 * Short timeouts (1 s for a head, 2 s idle: the head deadline must come first, as with
 * the defaults) keep the test quick; raw sockets send exactly what is written, at the
 * pace written.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1", "management.server.port=0",
				"strangler.routes.location=classpath:routes/path/", "strangler.edge.request-head-timeout=1s",
				"strangler.edge.idle-timeout=2s" })
class EdgeTimeoutsIntegrationTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(2);

	/** Generous: the 408 is due 1 s after the first byte; a loaded CI machine is slow. */
	private static final Duration HEAD_DEADLINE_BOUND = Duration.ofSeconds(4);

	private static final int IDLE_CONNECTIONS = 300;

	/**
	 * For the requests that set the idle connections up: only a hang should fail them.
	 */
	private static final Duration SETUP_READ_TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + legacy.getPort());
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void stubLegacy() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
	}

	@Test
	void aHeadTrickledByteByByteGets408AfterTheHeadTimeoutWhileOtherClientsAreServed() throws Exception {
		byte[] rest = ("st: 127.0.0.1\r\nX-Slow: " + "a".repeat(60) + "\r\n\r\n").getBytes();
		ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
		try (RawHttpConnection slow = new RawHttpConnection(this.port, HEAD_DEADLINE_BOUND.multipliedBy(2))) {
			long started = System.nanoTime();
			slow.send("GET /slowloris HTTP/1.1\r\nHo");
			// One byte every 200 ms: each keeps an idle timeout from firing; 60+ bytes
			// last
			// over 12 s, far past the deadline.
			AtomicInteger next = new AtomicInteger();
			pacer.scheduleAtFixedRate(() -> {
				int index = next.getAndIncrement();
				if (index < rest.length) {
					try {
						slow.send(new String(rest, index, 1, StandardCharsets.US_ASCII));
					}
					catch (IOException ex) {
						// Closed by the gateway: the trickle ends there.
						next.set(rest.length);
					}
				}
			}, 200, 200, TimeUnit.MILLISECONDS);

			for (int i = 0; i < 3; i++) {
				try (RawHttpConnection other = new RawHttpConnection(this.port, PROMPTLY)) {
					other.send(RawHttpConnection.get("/orders/" + i));
					assertThat(other.readResponse().text()).startsWith("HTTP/1.1 200").endsWith("from legacy");
				}
			}

			RawHttpConnection.Response response = slow.readResponse();
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			assertThat(response.head()).startsWith("HTTP/1.1 408 ");
			String head = response.head().toLowerCase(Locale.ROOT);
			assertThat(head).contains("content-type: application/problem+json").contains("connection: close");
			assertThat(response.body()).contains("\"status\":408")
				.contains("1s", "strangler.edge.request-head-timeout");
			assertThat(took).isBetween(Duration.ofSeconds(1), HEAD_DEADLINE_BOUND);
			// Closed by the gateway: an end of stream, or a reset when one of the
			// trickled
			// bytes reached the closed socket before this read (both mean closed).
			pacer.shutdownNow();
			assertThat(endOfStreamOrReset(slow)).isTrue();
			assertThat(this.meters.counter("strangler.edge.rejected", "status", "408").count()).isPositive();
			assertThat(legacy.getAllServeEvents()).extracting((event) -> event.getRequest().getUrl())
				.doesNotContain("/slowloris");
		}
		finally {
			pacer.shutdownNow();
		}
	}

	@Test
	void manyIdleKeepAliveConnectionsNeitherDelayAFreshRequestNorOutliveTheIdleTimeout() throws IOException {
		List<RawHttpConnection> idle = new ArrayList<>();
		try {
			for (int i = 0; i < IDLE_CONNECTIONS; i++) {
				RawHttpConnection connection = new RawHttpConnection(this.port, SETUP_READ_TIMEOUT);
				idle.add(connection);
				connection.send(RawHttpConnection.get("/orders/" + i));
				assertThat(connection.readResponse().text()).startsWith("HTTP/1.1 200");
			}

			try (RawHttpConnection fresh = new RawHttpConnection(this.port, PROMPTLY)) {
				fresh.send(RawHttpConnection.get("/orders/fresh"));
				assertThat(fresh.readResponse().text()).startsWith("HTTP/1.1 200").endsWith("from legacy");
			}

			// Each read blocks until the gateway closes the connection (-1) or the read
			// timeout passes (an exception): all are closed 2 s after their response.
			for (RawHttpConnection connection : idle) {
				assertThat(connection.read()).isEqualTo(-1);
			}
		}
		finally {
			for (RawHttpConnection connection : idle) {
				connection.close();
			}
		}
	}

	@Test
	void theManagementPortClosesIdleConnectionsAfterTheSameIdleTimeout() throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(this.managementPort, SETUP_READ_TIMEOUT)) {
			connection.send(RawHttpConnection.get("/actuator/health"));
			assertThat(connection.readResponse().text()).startsWith("HTTP/1.1 200");
			long answered = System.nanoTime();

			// Blocks until the gateway closes the connection (-1) or the read timeout.
			assertThat(connection.read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThan(Duration.ofMillis(1_500));
		}
	}

	private static boolean endOfStreamOrReset(RawHttpConnection connection) throws IOException {
		try {
			return connection.read() == -1;
		}
		catch (SocketException ex) {
			return "Connection reset".equals(ex.getMessage());
		}
	}

}
