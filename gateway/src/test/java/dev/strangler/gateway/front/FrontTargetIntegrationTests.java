package dev.strangler.gateway.front;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.gateway.support.ChainExchanges;
import dev.strangler.testsupport.Ports;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.strangler.gateway.support.FrontAndChain.responseHeaders;
import static dev.strangler.gateway.support.FrontAndChain.sentHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests without a body that a route's target serves are forwarded by the front, before
 * the WebFlux filter chain, under the same guards as in the chain: the route's circuit
 * breaker, time limit and retries, and legacy's answer in the target's place when the
 * target fails and that is safe. Each test sends the same request twice, once with a
 * caller's trace that is not sampled (the front forwards it) and once with a sampled one
 * (the chain does), and compares what the backends and the client saw. WireMock is legacy
 * and target; routes in {@code routes/front-target/routes.yml}; a test web filter counts
 * the exchanges that enter the chain.
 */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/front-target/",
				"resilience4j.retry.configs.default.wait-duration=10ms",
				"management.tracing.sampling.probability=0.0" })
class FrontTargetIntegrationTests {

	/** A caller's trace that is not sampled: the front forwards the request. */
	private static final String UNSAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

	/** A caller's trace that is sampled: the chain forwards the request. */
	private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-01";

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
		registry.add("test.down-url", () -> "http://127.0.0.1:" + Ports.closed());
	}

	/** Exchanges of the traffic port that entered the WebFlux chain. */
	static final AtomicInteger chainExchanges = new AtomicInteger();

	@TestConfiguration(proxyBeanMethods = false)
	static class ChainCounter {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebFilter chainCounter() {
			return ChainExchanges.counting(chainExchanges, (path) -> !path.startsWith("/actuator"));
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	WebTestClient client;

	@BeforeEach
	void stubBackends() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Legacy", "kept")
			.withBody("{\"from\":\"legacy\"}")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("Connection", "keep-alive, X-Hop")
			.withHeader("X-Hop", "dropped")
			.withHeader("X-Target", "kept")
			// the gateway owns this header: a backend's own never reaches the client
			.withHeader("X-Strangler-Fallback", "spoofed")
			.withBody("{\"from\":\"target\"}")));
		chainExchanges.set(0);
	}

	@Test
	void aMigratedRequestIsServedByTheTargetAtTheFrontAsByTheChain() {
		String[] headers = { "X-Forwarded-For", "203.0.113.9", "Accept", "application/json", "Cookie", "session=1" };
		EntityExchangeResult<byte[]> front = send(HttpMethod.GET, "/moved/items/42?page=2",
				with(headers, "traceparent", UNSAMPLED));
		EntityExchangeResult<byte[]> chain = send(HttpMethod.GET, "/moved/items/42?page=2",
				with(headers, "traceparent", SAMPLED));

		assertThat(chainExchanges).as("only the sampled request entered the chain").hasValue(1);
		assertThat(front.getStatus().value()).isEqualTo(200);
		assertThat(new String(front.getResponseBody())).isEqualTo("{\"from\":\"target\"}");
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Route")).isEqualTo("moved");
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("target");
		assertThat(front.getResponseHeaders().getFirst("X-Target")).isEqualTo("kept");
		assertThat(front.getResponseHeaders().containsKey("X-Strangler-Fallback")).isFalse();
		assertThat(front.getResponseHeaders().containsKey("X-Hop")).isFalse();
		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
		assertThat(front.getResponseBody()).isEqualTo(chain.getResponseBody());

		List<LoggedRequest> received = inOrder(target.findAll(anyRequestedFor(anyUrl())));
		assertThat(received).hasSize(2);
		assertThat(received.get(0).getUrl()).isEqualTo("/moved/items/42?page=2");
		assertThat(sentHeaders(received.get(0))).isEqualTo(sentHeaders(received.get(1)));
		assertThat(legacy.getAllServeEvents()).isEmpty();
	}

	@Test
	void aTargetServerErrorIsAnsweredByLegacyAtTheFrontAsByTheChain(CapturedOutput output) {
		target.stubFor(get(urlPathEqualTo("/moved/broken")).willReturn(aResponse().withStatus(503).withBody("down")));
		double fallbacks = fallbacks("moved", "status-503");

		EntityExchangeResult<byte[]> front = send(HttpMethod.GET, "/moved/broken", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> chain = send(HttpMethod.GET, "/moved/broken", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(front.getStatus().value()).isEqualTo(200);
		assertThat(new String(front.getResponseBody())).isEqualTo("{\"from\":\"legacy\"}");
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("legacy");
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("status-503");
		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
		assertThat(fallbacks("moved", "status-503") - fallbacks).isEqualTo(2);
		List<LoggedRequest> atLegacy = inOrder(legacy.findAll(anyRequestedFor(anyUrl())));
		assertThat(atLegacy).hasSize(2);
		assertThat(sentHeaders(atLegacy.get(0))).isEqualTo(sentHeaders(atLegacy.get(1)));
		await().untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("GET /moved/broken 200 \\d+ms route=moved stage=migrated backend=legacy cache=- "
					+ "fallback=status-503 trace=4bf92f3577b34da6a3ce929d0e0e4736"));
	}

	@Test
	void aTargetThatCannotBeReachedIsAnsweredByLegacy() {
		EntityExchangeResult<byte[]> front = send(HttpMethod.GET, "/down/item", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> chain = send(HttpMethod.GET, "/down/item", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(front.getStatus().value()).isEqualTo(200);
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("connect-refused");
		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
	}

	@Test
	void aTargetSlowerThanTheRouteTimeoutIsAnsweredByLegacy() {
		target.stubFor(get(urlPathEqualTo("/moved/slow"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(3_000).withBody("late")));

		EntityExchangeResult<byte[]> front = send(HttpMethod.GET, "/moved/slow", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> chain = send(HttpMethod.GET, "/moved/slow", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(front.getStatus().value()).isEqualTo(200);
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("timeout");
		assertThat(new String(front.getResponseBody())).isEqualTo("{\"from\":\"legacy\"}");
		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
	}

	@Test
	void aTargetBodyThatBreaksOffBeforeItIsRelayedIsAnsweredByLegacy() {
		target.stubFor(get(urlPathEqualTo("/moved/malformed"))
			.willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

		EntityExchangeResult<byte[]> front = send(HttpMethod.GET, "/moved/malformed", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> chain = send(HttpMethod.GET, "/moved/malformed", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(front.getStatus().value()).isEqualTo(200);
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("bad-response");
		assertThat(new String(front.getResponseBody())).isEqualTo("{\"from\":\"legacy\"}");
		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
	}

	@Test
	void anOpenCircuitIsAnsweredByLegacyWithoutCallingTheTarget() {
		send(HttpMethod.GET, "/opened/first", "traceparent", UNSAMPLED);
		this.circuitBreakers.circuitBreaker("opened-target").transitionToForcedOpenState();
		target.resetRequests();

		EntityExchangeResult<byte[]> front = send(HttpMethod.GET, "/opened/item", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> chain = send(HttpMethod.GET, "/opened/item", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("circuit-open");
		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
		assertThat(target.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void withoutFallbackTheTargetsErrorReachesTheClientAndATimeoutIsAProblem() {
		target.stubFor(get(urlPathEqualTo("/strict/broken")).willReturn(aResponse().withStatus(503).withBody("down")));
		target.stubFor(get(urlPathEqualTo("/strict/slow"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(3_000).withBody("late")));

		EntityExchangeResult<byte[]> broken = send(HttpMethod.GET, "/strict/broken", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> brokenByChain = send(HttpMethod.GET, "/strict/broken", "traceparent", SAMPLED);
		EntityExchangeResult<byte[]> slow = send(HttpMethod.GET, "/strict/slow", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> slowByChain = send(HttpMethod.GET, "/strict/slow", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(2);
		assertThat(broken.getStatus().value()).isEqualTo(503);
		assertThat(new String(broken.getResponseBody())).isEqualTo("down");
		assertThat(responseHeaders(broken)).isEqualTo(responseHeaders(brokenByChain));
		assertThat(slow.getStatus().value()).isEqualTo(504);
		assertThat(slow.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(new String(slow.getResponseBody())).isEqualTo(new String(slowByChain.getResponseBody()))
			.contains("\"route\":\"strict\"", "\"backend\":\"target\"", "The target failed (timeout)")
			.doesNotContain("127.0.0.1");
		assertThat(legacy.getAllServeEvents()).isEmpty();
	}

	@Test
	void aDeleteTheTargetAnsweredWithAServerErrorGetsThatAnswerAndNeverReachesLegacy() {
		target.stubFor(any(urlPathEqualTo("/moved/orders/7")).willReturn(aResponse().withStatus(503).withBody("busy")));

		EntityExchangeResult<byte[]> front = send(HttpMethod.DELETE, "/moved/orders/7", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> chain = send(HttpMethod.DELETE, "/moved/orders/7", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(front.getStatus().value()).isEqualTo(503);
		assertThat(new String(front.getResponseBody())).isEqualTo("busy");
		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
		assertThat(legacy.getAllServeEvents()).isEmpty();
	}

	@Test
	void anIdempotentRequestIsRetriedAgainstTheTargetAtTheFront() {
		target.stubFor(get(urlPathMatching("/retrying/.*")).inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("recovered"));
		target.stubFor(get(urlPathMatching("/retrying/.*")).inScenario("flaky")
			.whenScenarioStateIs("recovered")
			.willReturn(aResponse().withStatus(200).withBody("second")));

		EntityExchangeResult<byte[]> front = send(HttpMethod.GET, "/retrying/item", "traceparent", UNSAMPLED);

		assertThat(chainExchanges).hasValue(0);
		assertThat(front.getStatus().value()).isEqualTo(200);
		assertThat(new String(front.getResponseBody())).isEqualTo("second");
		assertThat(front.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("target");
		assertThat(target.findAll(anyRequestedFor(urlPathEqualTo("/retrying/item")))).hasSize(2);
		assertThat(legacy.getAllServeEvents()).isEmpty();
	}

	private EntityExchangeResult<byte[]> send(HttpMethod method, String uri, String... headers) {
		return this.client.method(method).uri(URI.create("http://127.0.0.1:" + this.port + uri)).headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange().expectBody().returnResult();
	}

	private static String[] with(String[] headers, String name, String value) {
		String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
		all[headers.length] = name;
		all[headers.length + 1] = value;
		return all;
	}

	private static List<LoggedRequest> inOrder(List<LoggedRequest> requests) {
		return requests.stream().sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate())).toList();
	}

	private double fallbacks(String route, String reason) {
		Counter counter = this.meters.find("strangler.fallbacks").tag("route", route).tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
