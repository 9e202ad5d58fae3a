package dev.strangler.gateway.front;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.gateway.support.ChainExchanges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
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
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.strangler.gateway.support.FrontAndChain.responseHeaders;
import static dev.strangler.gateway.support.FrontAndChain.sentHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests that only need forwarding to legacy (unrouted, or a route in stage
 * {@code legacy} with nothing else to do) are forwarded by the front, before the WebFlux
 * filter chain, over real HTTP: a test {@link WebFilter} counts the exchanges that enter
 * the chain. The same request sent with a sampled {@code traceparent} goes through the
 * chain, so each test compares the front with the chain on one request. WireMock is
 * legacy; routes in {@code routes/pass-through/routes.yml}; metrics and tracing on, as in
 * production, with no request sampled unless its caller's trace is.
 */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret",
				"strangler.routes.location=classpath:routes/pass-through/",
				"spring.cloud.gateway.server.webflux.httpclient.response-timeout=1s",
				"management.tracing.sampling.probability=0.0" })
class PassThroughFrontIntegrationTests {

	/** A caller's trace that is not sampled: the front forwards the request. */
	static final String UNSAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

	/** A caller's trace that is sampled: the chain forwards the request. */
	static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-01";

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

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeterRegistry registry;

	WebTestClient client;

	@BeforeEach
	void resetBackendAndCounter() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		legacy.resetAll();
		legacy.stubFor(WireMock.any(WireMock.anyUrl())
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withHeader("Connection", "keep-alive, X-Hop")
				.withHeader("X-Hop", "dropped")
				.withHeader("X-Legacy", "kept")
				.withBody("{\"from\":\"legacy\"}")));
		legacy.stubFor(WireMock.get(WireMock.urlPathEqualTo("/old/slow"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(3_000).withBody("late")));
		chainExchanges.set(0);
	}

	private EntityExchangeResult<byte[]> send(HttpMethod method, String uri, String... headers) {
		// a URI as sent: the client's URI templates would tidy "//" away
		return this.client.method(method).uri(URI.create("http://127.0.0.1:" + this.port + uri)).headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange().expectBody().returnResult();
	}

	private EntityExchangeResult<byte[]> get(String uri, String... headers) {
		return send(HttpMethod.GET, uri, headers);
	}

	@Test
	void aLegacyStageRequestAndAnUnroutedOneAreForwardedWithoutEnteringTheChain() {
		EntityExchangeResult<byte[]> routed = get("/old/products/42?page=2");
		EntityExchangeResult<byte[]> unrouted = get("/nobody/claims/this");

		assertThat(chainExchanges).hasValue(0);
		assertThat(routed.getStatus().value()).isEqualTo(200);
		assertThat(new String(routed.getResponseBody())).isEqualTo("{\"from\":\"legacy\"}");
		assertThat(routed.getResponseHeaders().getFirst("X-Strangler-Route")).isEqualTo("old");
		assertThat(routed.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("legacy");
		assertThat(unrouted.getStatus().value()).isEqualTo(200);
		assertThat(unrouted.getResponseHeaders().containsKey("X-Strangler-Route")).isFalse();
		assertThat(legacy.getAllServeEvents()).extracting((event) -> event.getRequest().getUrl())
			.containsExactlyInAnyOrder("/old/products/42?page=2", "/nobody/claims/this");
	}

	@Test
	void legacyGetsTheHeadersTheChainSendsAndTheClientTheResponseHeadersTheChainGives() {
		String[] headers = { "X-Forwarded-For", "203.0.113.9", "Forwarded", "for=203.0.113.9", "Connection", "X-Custom",
				"X-Custom", "hop", "Keep-Alive", "timeout=5", "Accept", "application/json", "Cookie", "session=1",
				"X-Client", "a" };
		EntityExchangeResult<byte[]> front = get("/old/headers?x=1", with(headers, "traceparent", UNSAMPLED));
		EntityExchangeResult<byte[]> chain = get("/old/headers?x=1", with(headers, "traceparent", SAMPLED));

		assertThat(chainExchanges).as("only the sampled request entered the chain").hasValue(1);
		List<LoggedRequest> received = legacy.getAllServeEvents()
			.stream()
			.map((event) -> event.getRequest())
			.sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
			.toList();
		assertThat(received).hasSize(2);
		Map<String, List<String>> fromFront = sentHeaders(received.get(0));
		Map<String, List<String>> fromChain = sentHeaders(received.get(1));
		assertThat(fromFront).isEqualTo(fromChain);
		assertThat(fromFront).containsKeys("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
				"x-forwarded-port", "x-client", "cookie");
		assertThat(fromFront).doesNotContainKeys("x-custom", "keep-alive", "forwarded");
		assertThat(fromFront.get("x-forwarded-for")).as("an untrusted client's own value is dropped")
			.containsExactly("127.0.0.1");
		assertThat(fromFront.get("host")).containsExactly("127.0.0.1:" + legacy.port());

		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
		assertThat(front.getResponseHeaders().containsKey("X-Hop")).isFalse();
		assertThat(front.getResponseHeaders().getFirst("X-Legacy")).isEqualTo("kept");
		assertThat(front.getResponseBody()).isEqualTo(chain.getResponseBody());
	}

	@Test
	void anUnsampledRequestPassesItsTraceOnAndIsCountedTimedAndLogged(CapturedOutput output) {
		long timed = timedRequests("old", "200");
		long observed = serverRequests("200");

		get("/old/traced", "traceparent", UNSAMPLED);

		assertThat(chainExchanges).hasValue(0);
		String sent = legacy.getAllServeEvents().get(0).getRequest().getHeader("traceparent");
		assertThat(sent).as("the caller's trace, a span of the gateway's, not sampled")
			.matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00")
			.doesNotContain("00f067aa0ba902b7");
		await().untilAsserted(() -> {
			assertThat(timedRequests("old", "200") - timed).isEqualTo(1);
			assertThat(serverRequests("200") - observed).as("http.server.requests").isEqualTo(1);
		});
		await().untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("GET /old/traced 200 \\d+ms route=old stage=legacy backend=legacy cache=- "
					+ "fallback=- trace=4bf92f3577b34da6a3ce929d0e0e4736"));
	}

	@Test
	void anUnroutedRequestIsTimedAndLoggedAsUnrouted(CapturedOutput output) {
		long timed = timedRequests("unrouted", "200");

		get("/elsewhere/item");

		assertThat(chainExchanges).hasValue(0);
		await().untilAsserted(() -> assertThat(timedRequests("unrouted", "200") - timed).isEqualTo(1));
		await().untilAsserted(() -> assertThat(output.getOut()).containsPattern(
				"GET /elsewhere/item 200 \\d+ms route=unrouted stage=none backend=legacy cache=- fallback=- trace="));
	}

	@Test
	void aSampledRequestGoesThroughTheChainWithItsTrace() {
		get("/old/sampled", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(legacy.getAllServeEvents().get(0).getRequest().getHeader("traceparent"))
			.matches("00-4bf92f3577b34da6a3ce929d0e0e4737-[0-9a-f]{16}-01");
	}

	@Test
	void aHeadRequestIsForwardedAndAnsweredWithoutBody() {
		EntityExchangeResult<byte[]> head = send(HttpMethod.HEAD, "/old/head");

		assertThat(chainExchanges).hasValue(0);
		assertThat(head.getStatus().value()).isEqualTo(200);
		assertThat(head.getResponseBody()).isNullOrEmpty();
		assertThat(legacy.getAllServeEvents().get(0).getRequest().getMethod().getName()).isEqualTo("HEAD");
	}

	@Test
	void requestsThatNeedMoreThanForwardingGoThroughTheChain() {
		this.client.post()
			.uri("/old/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"qty\":1}")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(chainExchanges).as("a request with a body").hasValue(1);
		get("/old/forced", "X-Strangler-Force-Backend", "legacy");
		assertThat(chainExchanges).as("an internal header the chain removes").hasValue(2);
		get("/guarded/item");
		assertThat(chainExchanges).as("a route that guards its calls to legacy").hasValue(3);
		get("/old/./dotted");
		assertThat(chainExchanges).as("a path the chain normalises").hasValue(4);
		get("/old/upgrade", "Upgrade", "websocket", "Connection", "Upgrade");
		assertThat(chainExchanges).as("an upgrade").hasValue(5);
		assertThat(legacy.getAllServeEvents()).extracting((event) -> event.getRequest().getUrl())
			.contains("/old/orders", "/old/forced", "/old/dotted");
	}

	@Test
	void aStageChangedThroughTheAdminApiTakesEffectAtTheFront() {
		get("/old/before");
		assertThat(chainExchanges).hasValue(0);
		setStage("old", "migrated");
		try {
			EntityExchangeResult<byte[]> moved = get("/old/after");
			assertThat(chainExchanges).as("a route the target serves, at the front too").hasValue(0);
			// the route's target cannot be reached: legacy answers in its place
			assertThat(moved.getStatus().value()).isEqualTo(200);
			assertThat(moved.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("legacy");
			assertThat(moved.getResponseHeaders().getFirst("X-Strangler-Fallback")).isEqualTo("connect-refused");
		}
		finally {
			setStage("old", "legacy");
		}
		EntityExchangeResult<byte[]> back = get("/old/again");
		assertThat(chainExchanges).hasValue(0);
		assertThat(back.getResponseHeaders().containsKey("X-Strangler-Fallback")).isFalse();
	}

	@Test
	void aLegacyThatCannotBeReachedGetsTheChainsProblem() {
		EntityExchangeResult<byte[]> front = get("/gone/item", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> chain = get("/gone/item", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(front.getStatus().value()).isEqualTo(502);
		assertThat(front.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(new String(front.getResponseBody())).isEqualTo(new String(chain.getResponseBody()))
			.contains("\"route\":\"gone\"", "\"backend\":\"legacy\"", "The backend could not be reached")
			.doesNotContain("127.0.0.1");
		assertThat(responseHeaders(front)).isEqualTo(responseHeaders(chain));
	}

	@Test
	void aLegacyTooSlowGetsTheChainsGatewayTimeout(CapturedOutput output) {
		EntityExchangeResult<byte[]> front = get("/old/slow", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> chain = get("/old/slow", "traceparent", SAMPLED);

		assertThat(chainExchanges).hasValue(1);
		assertThat(front.getStatus().value()).isEqualTo(504);
		assertThat(new String(front.getResponseBody())).isEqualTo(new String(chain.getResponseBody()))
			.contains("\"route\":\"old\"");
		assertThat(output.getOut()).contains("Gateway error for GET /old/slow");
	}

	private void setStage(String route, String stage) {
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.post()
			.uri("/actuator/migration/" + route)
			.headers((h) -> h.setBasicAuth("ops", "s3cret"))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("stage", stage, "reason", "pass-through test"))
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static String[] with(String[] headers, String name, String value) {
		String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
		all[headers.length] = name;
		all[headers.length + 1] = value;
		return all;
	}

	private long timedRequests(String route, String status) {
		// stage and backend too: a test moves route old to migrated for a while
		Timer timer = this.registry.find("strangler.requests")
			.tag("route", route)
			.tag("stage", "unrouted".equals(route) ? "none" : "legacy")
			.tag("backend", "legacy")
			.tag("status", status)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private long serverRequests(String status) {
		return this.registry.find("http.server.requests")
			.tag("status", status)
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum();
	}

}
