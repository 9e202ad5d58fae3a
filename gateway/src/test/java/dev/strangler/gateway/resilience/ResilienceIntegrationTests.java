package dev.strangler.gateway.resilience;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.OverrideStore;
import dev.strangler.gateway.state.RouteOverride;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import dev.strangler.testsupport.Ports;

/**
 * Resilience over real HTTP, WireMock as legacy and target (routes in
 * {@code routes/resilience/routes.yml}): each target fault falls back to legacy where
 * that is safe, circuits open and close, retries stay with idempotent requests, and a
 * canary whose target circuit opens is rolled back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1", "management.server.port=0",
				"strangler.routes.location=classpath:routes/resilience/",
				"spring.cloud.gateway.server.webflux.httpclient.response-timeout=1s",
				"resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
				"resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4",
				"resilience4j.circuitbreaker.configs.default.permitted-number-of-calls-in-half-open-state=1",
				"resilience4j.retry.configs.default.wait-duration=10ms",
				// Small, so that guards around legacy would show at once under
				// concurrency.
				"resilience4j.bulkhead.configs.default.max-concurrent-calls=8",
				"resilience4j.circuitbreaker.configs.pooled-target.sliding-window-size=5000",
				"resilience4j.circuitbreaker.configs.pooled-target.minimum-number-of-calls=5000" })
class ResilienceIntegrationTests {

	/** The circuit's minimum number of calls: the target sees at most this many. */
	private static final int THRESHOLD = 4;

	// Started once for the whole class, not by WireMockExtension: that one restarts its
	// server on a new port for each @Nested class, while the application keeps the first.
	static final WireMockServer legacy = started();

	static final WireMockServer target = started();

	static WireMockServer started() {
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		return server;
	}

	@AfterAll
	static void stopBackends() {
		legacy.stop();
		target.stop();
	}

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.port());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.port());
		registry.add("test.down-url", () -> "http://127.0.0.1:" + Ports.closed());
		registry.add("strangler.state.dir", () -> System.getProperty("java.io.tmpdir") + "/resilience-it-"
				+ ProcessHandle.current().pid() + "-" + System.nanoTime());
	}

	@LocalServerPort
	int port;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@Autowired
	OverrideStore overrides;

	@Autowired
	AuditLog audit;

	@Autowired
	MeterRegistry meters;

	WebTestClient client;

	@BeforeEach
	void reset() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		legacy.resetAll();
		target.resetAll();
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("target")));
		this.circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
		this.overrides.snapshot()
			.overrides()
			.keySet()
			.forEach((route) -> this.overrides.clear(route, Actor.operator("test"), "next test"));
	}

	static Stream<Arguments> faults() {
		List<Arguments> faults = new ArrayList<>();
		for (String route : List.of("canary", "migrated")) {
			faults.add(Arguments.of(route, "HTTP 500", aResponse().withStatus(500), "status-500"));
			faults.add(Arguments.of(route, "HTTP 503", aResponse().withStatus(503), "status-503"));
			faults.add(Arguments.of(route, "delay over the timeout", aResponse().withStatus(200).withFixedDelay(1500),
					"timeout"));
			faults.add(Arguments.of(route, "connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
					"connection-reset"));
			faults.add(Arguments.of(route, "empty response", aResponse().withFault(Fault.EMPTY_RESPONSE),
					"connection-reset"));
			faults.add(Arguments.of(route, "malformed chunk", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
					"bad-response"));
			// reactor-netty skips bytes that are no status line and then sees the close.
			faults.add(Arguments.of(route, "random data", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE),
					"connection-reset"));
		}
		return faults.stream();
	}

	@Nested
	class IdempotentRequests {

		@ParameterizedTest(name = "{0}: {1}")
		@MethodSource("dev.strangler.gateway.resilience.ResilienceIntegrationTests#faults")
		void everyClientGetsLegacysAnswerAndTheTargetStopsBeingCalledOnceTheCircuitOpens(String route, String fault,
				ResponseDefinitionBuilder response, String reason) {
			target.stubFor(any(anyUrl()).willReturn(response));

			List<EntityExchangeResult<String>> results = new ArrayList<>();
			for (int i = 0; i < 2 * THRESHOLD; i++) {
				results.add(get("/api/" + route + "/items/" + i));
			}

			assertThat(results).allSatisfy((result) -> {
				assertThat(result.getStatus().value()).isEqualTo(200);
				assertThat(result.getResponseBody()).isEqualTo("legacy");
				assertThat(result.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("legacy");
			});
			assertThat(results.get(0).getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo(reason);
			int calls = targetCalls();
			assertThat(calls).as("calls the target saw before its circuit opened").isEqualTo(THRESHOLD);
			assertThat(get("/api/" + route + "/items/again").getResponseBody()).isEqualTo("legacy");
			assertThat(targetCalls()).as("calls while the circuit is open").isEqualTo(calls);
			if (route.equals("canary")) {
				// The rollback is written in the background: it must land within this
				// test,
				// not after the next one cleared the overrides.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> ResilienceIntegrationTests.this.overrides.snapshot().get("canary").isPresent());
			}
		}

		@Test
		void anOpenCircuitAnswersFromLegacyUntilTheOpenStateWaitPassesThenTheTargetServesAgain() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
			for (int i = 0; i < THRESHOLD; i++) {
				get("/api/recovering/items/" + i);
			}
			assertThat(get("/api/recovering/items/open").getResponseHeaders().getFirst("X-Strangler-Fallback"))
				.isEqualTo("circuit-open");
			assertThat(targetCalls()).isEqualTo(THRESHOLD);

			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("target")));
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> "target".equals(get("/api/recovering/items/recovered").getResponseBody()));
			assertThat(this.circuitState("recovering-target")).isNotEqualTo(CircuitBreaker.State.OPEN);
		}

		@Test
		void aTargetThatIsDownIsAnsweredByLegacyWithConnectRefused() {
			EntityExchangeResult<String> result = get("/api/down/items/1");
			assertThat(result.getResponseBody()).isEqualTo("legacy");
			assertThat(result.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("connect-refused");
		}

		@Test
		void aHealthyTargetAnswersWithoutFallbackHeader() {
			EntityExchangeResult<String> result = get("/api/migrated/items/1");
			assertThat(result.getResponseBody()).isEqualTo("target");
			assertThat(result.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("target");
			assertThat(result.getResponseHeaders().containsKey("X-Strangler-Fallback")).isFalse();
		}

		@Test
		void aFallbackIsCountedByRouteAndReason() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
			double before = fallbacks("migrated", "status-500");
			get("/api/migrated/items/1");
			assertThat(fallbacks("migrated", "status-500")).isEqualTo(before + 1);
		}

		private CircuitBreaker.State circuitState(String name) {
			return ResilienceIntegrationTests.this.circuitBreakers.circuitBreaker(name).getState();
		}

	}

	@Nested
	class NonIdempotentRequests {

		@Test
		void aPostTheTargetRefusedIsSentToLegacyWithItsBody() {
			EntityExchangeResult<String> result = post("/api/down/orders", "{\"item\":1}");

			assertThat(result.getResponseBody()).isEqualTo("legacy");
			assertThat(result.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("connect-refused");
			legacy.verify(1,
					postRequestedFor(urlPathEqualTo("/api/down/orders")).withRequestBody(equalTo("{\"item\":1}")));
		}

		@Test
		void aPostThatTimedOutAtTheTargetIsAGatewayTimeoutProblemAndNeverReachesLegacy() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201).withFixedDelay(1500)));

			EntityExchangeResult<String> result = post("/api/migrated/orders", "{\"item\":1}");

			assertThat(result.getStatus().value()).isEqualTo(504);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(result.getResponseHeaders().containsKey("X-Strangler-Fallback")).isFalse();
			legacy.verify(0, anyRequestedFor(anyUrl()));
		}

		@Test
		void aPostTheTargetAnsweredWithA500GetsThatAnswerAndNeverReachesLegacy() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("target failed")));

			EntityExchangeResult<String> result = post("/api/migrated/orders", "{}");

			assertThat(result.getStatus().value()).isEqualTo(500);
			assertThat(result.getResponseBody()).isEqualTo("target failed");
			legacy.verify(0, anyRequestedFor(anyUrl()));
		}

		@Test
		void aPutTheTargetReadAndThenResetIsABadGatewayProblemAndNeverReachesLegacy() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

			EntityExchangeResult<String> result = ResilienceIntegrationTests.this.client.put()
				.uri("/api/migrated/items/1")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"stock\":1}")
				.exchange()
				.expectBody(String.class)
				.returnResult();

			assertThat(result.getStatus().value()).isEqualTo(502);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(result.getResponseHeaders().containsKey("X-Strangler-Fallback")).isFalse();
			target.verify(1, putRequestedFor(urlPathEqualTo("/api/migrated/items/1")));
			legacy.verify(0, putRequestedFor(anyUrl()));
		}

		@Test
		void aDeleteTheTargetAnsweredWithA503GetsThatAnswerAndNeverReachesLegacy() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("target busy")));

			EntityExchangeResult<String> result = ResilienceIntegrationTests.this.client.delete()
				.uri("/api/migrated/items/1")
				.exchange()
				.expectBody(String.class)
				.returnResult();

			assertThat(result.getStatus().value()).isEqualTo(503);
			assertThat(result.getResponseBody()).isEqualTo("target busy");
			legacy.verify(0, anyRequestedFor(anyUrl()));
		}

		@Test
		void aPostToAnOpenCircuitIsSentToLegacy() {
			// The route's instances are built by its first request.
			get("/api/migrated/items/0");
			target.resetRequests();
			ResilienceIntegrationTests.this.circuitBreakers.circuitBreaker("migrated-target").transitionToOpenState();

			EntityExchangeResult<String> result = post("/api/migrated/orders", "{}");

			assertThat(result.getResponseBody()).isEqualTo("legacy");
			assertThat(result.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("circuit-open");
			target.verify(0, anyRequestedFor(anyUrl()));
		}

	}

	@Nested
	class Retries {

		@Test
		void anIdempotentRequestIsRetriedAndTheTargetsSecondAnswerServes() {
			target.stubFor(any(anyUrl()).inScenario("flaky")
				.whenScenarioStateIs(Scenario.STARTED)
				.willReturn(aResponse().withStatus(503))
				.willSetStateTo("recovered"));
			target.stubFor(any(anyUrl()).inScenario("flaky")
				.whenScenarioStateIs("recovered")
				.willReturn(aResponse().withStatus(200).withBody("target")));

			EntityExchangeResult<String> result = get("/api/retrying/items/1");

			assertThat(result.getResponseBody()).isEqualTo("target");
			assertThat(targetCalls()).isEqualTo(2);
		}

		@Test
		void anIdempotentRequestFallsBackOnceTheRetriesAreSpent() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));

			EntityExchangeResult<String> result = get("/api/retrying/items/1");

			assertThat(result.getResponseBody()).isEqualTo("legacy");
			assertThat(targetCalls()).as("the first call and two retries").isEqualTo(3);
		}

		@Test
		void aPutIsRetriedAgainstTheTargetButNeverSentToLegacy() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("target busy")));

			EntityExchangeResult<String> result = ResilienceIntegrationTests.this.client.put()
				.uri("/api/retrying/items/1")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"stock\":1}")
				.exchange()
				.expectBody(String.class)
				.returnResult();

			assertThat(result.getStatus().value()).isEqualTo(503);
			assertThat(result.getResponseBody()).isEqualTo("target busy");
			assertThat(targetCalls()).as("the first call and two retries").isEqualTo(3);
			target.verify(3,
					putRequestedFor(urlPathEqualTo("/api/retrying/items/1")).withRequestBody(equalTo("{\"stock\":1}")));
			legacy.verify(0, anyRequestedFor(anyUrl()));
		}

		@Test
		void aPostIsNeverRetried() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));

			EntityExchangeResult<String> result = post("/api/retrying/orders", "{}");

			assertThat(result.getStatus().value()).isEqualTo(503);
			assertThat(targetCalls()).isEqualTo(1);
			legacy.verify(0, anyRequestedFor(anyUrl()));
		}

		@Test
		void anIdempotentRequestWhoseBodyStreamsIsNeitherRetriedNorReplayed() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
			Flux<DataBuffer> chunked = Flux.just("{\"a\":", "1}")
				.map((part) -> DefaultDataBufferFactory.sharedInstance.wrap(part.getBytes(StandardCharsets.UTF_8)));

			EntityExchangeResult<String> result = ResilienceIntegrationTests.this.client.put()
				.uri("/api/retrying/items/1")
				.contentType(MediaType.APPLICATION_JSON)
				.body(chunked, DataBuffer.class)
				.exchange()
				.expectBody(String.class)
				.returnResult();

			assertThat(result.getStatus().value()).isEqualTo(503);
			assertThat(targetCalls()).isEqualTo(1);
			legacy.verify(0, anyRequestedFor(anyUrl()));
		}

	}

	@Nested
	class WithoutFallback {

		@Test
		void aTargetErrorAnswerReachesTheClientAsItIs() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("busy")));

			EntityExchangeResult<String> result = get("/api/strict/items/1");

			assertThat(result.getStatus().value()).isEqualTo(503);
			assertThat(result.getResponseBody()).isEqualTo("busy");
			assertThat(result.getResponseHeaders().containsKey("X-Strangler-Fallback")).isFalse();
			legacy.verify(0, anyRequestedFor(anyUrl()));
		}

		@Test
		void aTargetTimeoutIsAGatewayTimeoutProblem() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));

			EntityExchangeResult<String> result = get("/api/strict/items/1");

			assertThat(result.getStatus().value()).isEqualTo(504);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			legacy.verify(0, anyRequestedFor(anyUrl()));
		}

		@Test
		void anOpenCircuitIsAServiceUnavailableProblem() {
			// The route's instances are built by its first request.
			get("/api/strict/items/0");
			target.resetRequests();
			ResilienceIntegrationTests.this.circuitBreakers.circuitBreaker("strict-target").transitionToOpenState();

			EntityExchangeResult<String> result = get("/api/strict/items/1");

			assertThat(result.getStatus().value()).isEqualTo(503);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			target.verify(0, anyRequestedFor(anyUrl()));
		}

	}

	@Nested
	class LegacyFailing {

		@Test
		void aRoutedRequestWhoseLegacyIsDownIsABadGatewayProblem() {
			long start = System.nanoTime();
			EntityExchangeResult<String> result = get("/api/legacy-down/items/1");

			assertThat(result.getStatus().value()).isEqualTo(502);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		}

		@Test
		void aFallbackWhoseLegacyTimesOutIsAGatewayTimeoutProblemWithinTheResponseTimeout() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
			legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
			long start = System.nanoTime();

			EntityExchangeResult<String> result = get("/api/migrated/items/1");

			assertThat(result.getStatus().value()).isEqualTo(504);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
		}

		@Test
		void anUnroutedRequestWhoseLegacyTimesOutIsAGatewayTimeoutProblemWithinTheResponseTimeout() {
			legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
			long start = System.nanoTime();

			EntityExchangeResult<String> result = get("/not/routed");

			assertThat(result.getStatus().value()).isEqualTo(504);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(result.getResponseBody()).contains("Response took longer than timeout: PT1S");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
		}

	}

	@Nested
	class TransparentLegacy {

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "legacy-stage", "shadowed" })
		void concurrentRequestsToASlowMonolithAllGetItsAnswer(String route) {
			legacy
				.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("legacy").withFixedDelay(400)));
			int concurrent = 24;
			ConnectionProvider connections = ConnectionProvider.create("transparent-legacy", concurrent);
			try {
				WebClient client = WebClient.builder()
					.baseUrl("http://127.0.0.1:" + ResilienceIntegrationTests.this.port)
					.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
					.build();
				List<ResponseEntity<String>> answers = Flux.range(0, concurrent)
					.flatMap((i) -> client.get()
						.uri("/api/" + route + "/items/" + i)
						.exchangeToMono((response) -> response.toEntity(String.class)), concurrent)
					.collectList()
					.block(Duration.ofSeconds(20));

				assertThat(answers).hasSize(concurrent).allSatisfy((answer) -> {
					assertThat(answer.getStatusCode().value()).isEqualTo(200);
					assertThat(answer.getBody()).isEqualTo("legacy");
				});
				legacy.verify(concurrent, anyRequestedFor(urlPathMatching("/api/" + route + "/items/.*")));
			}
			finally {
				connections.dispose();
			}
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "legacy-stage", "shadowed" })
		void theMonolithsOwnErrorsPassThroughUnchangedAndOpenNoCircuit(String route) {
			legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)
				.withHeader("Content-Type", "text/plain")
				.withHeader("Retry-After", "7")
				.withBody("monolith busy")));

			for (int i = 0; i < 3 * THRESHOLD; i++) {
				EntityExchangeResult<String> result = get("/api/" + route + "/items/" + i);
				assertThat(result.getStatus().value()).isEqualTo(503);
				assertThat(result.getResponseBody()).isEqualTo("monolith busy");
				assertThat(result.getResponseHeaders().getFirst("Retry-After")).isEqualTo("7");
				assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.TEXT_PLAIN);
			}
			legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("monolith failed")));
			EntityExchangeResult<String> result = get("/api/" + route + "/items/500");
			assertThat(result.getStatus().value()).isEqualTo(500);
			assertThat(result.getResponseBody()).isEqualTo("monolith failed");
			legacy.verify(3 * THRESHOLD + 1, anyRequestedFor(urlPathMatching("/api/" + route + "/items/.*")));
			assertThat(ResilienceIntegrationTests.this.circuitBreakers.find(route + "-legacy")).isEmpty();
		}

		@Test
		void aRouteThatOptsInProtectsTheMonolithWithItsOwnCircuitBreaker() {
			legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("monolith failed")));
			for (int i = 0; i < THRESHOLD; i++) {
				assertThat(get("/api/guarded-legacy/items/" + i).getResponseBody()).isEqualTo("monolith failed");
			}

			EntityExchangeResult<String> result = get("/api/guarded-legacy/items/open");

			assertThat(result.getStatus().value()).isEqualTo(503);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(result.getResponseBody()).contains("circuit-open");
			legacy.verify(THRESHOLD, anyRequestedFor(anyUrl()));
		}

	}

	@Nested
	class FallbackAnswers {

		@Test
		void aFallbackAnswerIsNeverCachedAsTheTargetsAndTheRecoveredTargetServesTheNextRequest() {
			target.stubFor(any(anyUrl()).inScenario("recovering")
				.whenScenarioStateIs(Scenario.STARTED)
				.willReturn(aResponse().withStatus(503))
				.willSetStateTo("recovered"));
			target.stubFor(any(anyUrl()).inScenario("recovering")
				.whenScenarioStateIs("recovered")
				.willReturn(aResponse().withStatus(200).withBody("target")));

			EntityExchangeResult<String> fallback = get("/api/cached/items/1");
			EntityExchangeResult<String> next = get("/api/cached/items/1");

			assertThat(fallback.getResponseBody()).isEqualTo("legacy");
			assertThat(fallback.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("status-503");
			assertThat(next.getResponseBody()).isEqualTo("target");
			assertThat(next.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("target");
			assertThat(next.getResponseHeaders().containsKey("X-Strangler-Fallback")).isFalse();
			assertThat(get("/api/cached/items/1").getResponseHeaders().getFirst("Cache-Status"))
				.as("the target's own answer is cached")
				.isEqualTo("strangler; hit");
		}

		@Test
		void aTargetCallIsBoundedByTheRouteTimeoutAloneNotAlsoByTheResponseTimeout() {
			target
				.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("target").withFixedDelay(1500)));

			EntityExchangeResult<String> result = get("/api/patient/items/1");

			assertThat(result.getResponseBody()).isEqualTo("target");
			assertThat(result.getResponseHeaders().containsKey("X-Strangler-Fallback")).isFalse();
		}

		@Test
		void noTargetConnectionIsLeftActiveAfterAThousandRetriesAndFallbacks() {
			// Larger than what one read takes in: an unread body keeps its connection
			// busy.
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("x".repeat(32 * 1024))));

			for (int i = 0; i < 1000; i++) {
				EntityExchangeResult<String> result = get("/api/pooled/items/" + i);
				assertThat(result.getResponseBody()).isEqualTo("legacy");
			}

			assertThat(targetCalls()).as("each request tried twice").isEqualTo(2000);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(activeConnections(target)).isZero());
		}

		/** Reactor Netty's pool gauge for the gateway's connections to a backend. */
		private double activeConnections(WireMockServer backend) {
			Collection<Gauge> gauges = Metrics.globalRegistry
				.find("reactor.netty.connection.provider.active.connections")
				.tag("remote.address", "127.0.0.1:" + backend.port())
				.gauges();
			assertThat(gauges).as("pool gauges of the backend").isNotEmpty();
			return gauges.stream().mapToDouble(Gauge::value).sum();
		}

	}

	@Nested
	class AutomaticRollbacks {

		@Test
		void aCanaryWhoseTargetCircuitOpensIsRolledBackByAnAuditedOverride() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
			double before = rollbacks("canary");

			for (int i = 0; i < THRESHOLD; i++) {
				get("/api/canary/items/" + i);
			}

			await().atMost(Duration.ofSeconds(5))
				.until(() -> ResilienceIntegrationTests.this.overrides.snapshot().get("canary").isPresent());
			RouteOverride override = ResilienceIntegrationTests.this.overrides.snapshot().get("canary").get();
			assertThat(override.stage()).contains(Stage.LEGACY);
			assertThat(override.who()).isEqualTo("auto-rollback");
			assertThat(override.reason()).isEqualTo("target circuit open");
			AuditEntry entry = ResilienceIntegrationTests.this.audit.recent("canary", 1).get(0);
			assertThat(entry.action()).isEqualTo(AuditEntry.Action.AUTO);
			assertThat(entry.reason()).isEqualTo("target circuit open");
			assertThat(rollbacks("canary")).isEqualTo(before + 1);
			EntityExchangeResult<String> after = get("/api/canary/items/after");
			assertThat(after.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("legacy");
			assertThat(after.getResponseHeaders().containsKey("X-Strangler-Fallback"))
				.as("served by legacy by the override, not by a fallback")
				.isFalse();
		}

		@Test
		void aMigratedRouteWhoseTargetCircuitOpensIsNotRolledBack() {
			target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));

			for (int i = 0; i < THRESHOLD; i++) {
				get("/api/migrated/items/" + i);
			}

			assertThat(ResilienceIntegrationTests.this.circuitBreakers.circuitBreaker("migrated-target").getState())
				.isEqualTo(CircuitBreaker.State.OPEN);
			assertThat(ResilienceIntegrationTests.this.overrides.snapshot().get("migrated")).isEmpty();
		}

	}

	EntityExchangeResult<String> get(String path) {
		return this.client.get().uri(path).exchange().expectBody(String.class).returnResult();
	}

	EntityExchangeResult<String> post(String path, String json) {
		return this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	static int targetCalls() {
		return target.findAll(anyRequestedFor(anyUrl())).size();
	}

	double fallbacks(String route, String reason) {
		io.micrometer.core.instrument.Counter counter = this.meters.find("strangler.fallbacks")
			.tags("route", route, "reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	double rollbacks(String route) {
		io.micrometer.core.instrument.Counter counter = this.meters.find("strangler.rollbacks")
			.tags("route", route)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
