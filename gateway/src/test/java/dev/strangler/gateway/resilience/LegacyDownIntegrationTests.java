package dev.strangler.gateway.resilience;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import dev.strangler.testsupport.Ports;

/**
 * The monolith itself is down (the default upstream, {@code strangler.legacy.url},
 * refuses connections): every request it would have served, routed or not, gets a 502
 * {@code application/problem+json} at once, never a hang. Routes in
 * {@code routes/legacy-down/routes.yml}, whose targets are down too.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1", "management.server.port=0",
				"strangler.routes.location=classpath:routes/legacy-down/",
				"spring.cloud.gateway.server.webflux.httpclient.response-timeout=5s" })
class LegacyDownIntegrationTests {

	/**
	 * The configured timeouts, generous so that a slow first request on a busy machine
	 * passes: a refused connection must not wait for them.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + Ports.closed());
		registry.add("test.down-url", () -> "http://127.0.0.1:" + Ports.closed());
	}

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void client() {
		// Longer than the timeouts, so a hang shows as a failed assertion, not as this.
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/not/routed", "/api/products/1", "/api/orders/1" })
	void aRequestLegacyShouldServeIsABadGatewayProblemBeforeAnyTimeout(String path) {
		long start = System.nanoTime();

		EntityExchangeResult<String> result = this.client.get()
			.uri(path)
			.exchange()
			.expectBody(String.class)
			.returnResult();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
		assertThat(result.getStatus().value()).isEqualTo(502);
		assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result.getResponseBody()).contains("\"status\":502")
			.contains("\"instance\":\"" + path + "\"")
			.doesNotContain("127.0.0.1");
	}

}
