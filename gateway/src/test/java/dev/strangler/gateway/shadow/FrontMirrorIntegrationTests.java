package dev.strangler.gateway.shadow;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.rollout.RolloutDecider;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.support.ChainExchanges;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.strangler.gateway.support.FrontAndChain.sentHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests legacy answers in stages {@code shadow} and {@code canary} are forwarded by
 * the front, before the filter chain, and mirrored there ({@link FrontMirrors}) as the
 * chain's {@link ShadowMirrorFilter} mirrors them, over real HTTP: WireMock is legacy and
 * target (routes in {@code routes/front-mirror/routes.yml}); a test web filter counts the
 * exchanges that enter the chain. A request sent with a sampled {@code traceparent} goes
 * through the chain, so a test can compare both mirrors of one request. At most one
 * mirror in flight, so that a second one is dropped while the first waits for a slow
 * target.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/front-mirror/", "strangler.shadow.max-in-flight=1",
				"strangler.shadow.noise-detection.sample-percent=0", "management.tracing.sampling.probability=0.0" })
class FrontMirrorIntegrationTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	/** A caller's trace that is not sampled: the front forwards the request. */
	private static final String UNSAMPLED = "00-" + TRACE_ID + "-00f067aa0ba902b7-00";

	/** A caller's trace that is sampled: the chain forwards the request. */
	private static final String SAMPLED = "00-" + TRACE_ID + "-00f067aa0ba902b8-01";

	private static final String BODY = "{\"id\":1,\"name\":\"Lamp\"}";

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
	ShadowLimiter limiter;

	@Autowired
	MeterRegistry meters;

	WebTestClient client;

	@BeforeEach
	void stubBackends() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Version", "1")
			.withBody(BODY)));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Version", "1")
			.withBody(BODY)));
		chainExchanges.set(0);
	}

	/** Every test starts with no mirror of an earlier one still holding its slot. */
	@AfterEach
	void awaitMirrorsDone() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.limiter.inFlight() == 0);
	}

	@Test
	void aShadowRequestIsMirroredByTheFrontAsByTheChain() {
		long matches = comparisons("shadowed", "match");
		String[] headers = { "traceparent", UNSAMPLED, "X-Custom", "kept", "X-Forwarded-For", "203.0.113.9",
				"Connection", "keep-alive, X-Hop", "X-Hop", "not forwarded" };

		EntityExchangeResult<byte[]> answered = send("/shadowed/items/1?view=full", headers);

		assertThat(chainExchanges).as("forwarded by the front").hasValue(0);
		assertThat(new String(answered.getResponseBody())).isEqualTo(BODY);
		LoggedRequest fromFront = awaitMirrors(1).get(0);
		await().until(() -> comparisons("shadowed", "match") == matches + 1);
		assertThat(fromFront.getUrl()).isEqualTo("/shadowed/items/1?view=full");
		assertThat(fromFront.getHeader("X-Strangler-Shadow")).isEqualTo("true");
		assertThat(fromFront.getHeader("X-Custom")).isEqualTo("kept");
		assertThat(fromFront.containsHeader("X-Hop")).isFalse();
		assertThat(fromFront.getHeader("X-Forwarded-For")).as("the forwarding headers legacy got")
			.isEqualTo(legacy.getAllServeEvents().get(0).getRequest().getHeader("X-Forwarded-For"))
			.isEqualTo("127.0.0.1");
		assertThat(fromFront.getHeader("traceparent")).as("the client's trace, not sampled")
			.startsWith("00-" + TRACE_ID + "-")
			.endsWith("-00");

		headers[1] = SAMPLED;
		send("/shadowed/items/1?view=full", headers);

		assertThat(chainExchanges).as("a sampled request goes through the chain").hasValue(1);
		LoggedRequest fromChain = awaitMirrors(2).get(1);
		await().until(() -> comparisons("shadowed", "match") == matches + 2);
		assertThat(sentHeaders(fromFront)).isEqualTo(sentHeaders(fromChain));
	}

	@Test
	void aTargetAnsweringOtherwiseIsAMismatchAndTheClientStillGetsLegacysAnswer() {
		target.stubFor(get(urlPathEqualTo("/shadowed/changed")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Version", "2")
			.withBody(BODY)));
		long mismatches = comparisons("shadowed", "mismatch");

		EntityExchangeResult<byte[]> answered = send("/shadowed/changed", "traceparent", UNSAMPLED);

		assertThat(chainExchanges).hasValue(0);
		assertThat(answered.getResponseHeaders().getFirst("X-Version")).isEqualTo("1");
		await().until(() -> comparisons("shadowed", "mismatch") == mismatches + 1);
	}

	@Test
	void aHeadRequestIsMirroredAndComparedWithoutBody() {
		long matches = comparisons("shadowed", "match");

		send(HttpMethod.HEAD, "/shadowed/items/2", "traceparent", UNSAMPLED);

		assertThat(chainExchanges).hasValue(0);
		assertThat(awaitMirrors(1).get(0).getMethod().getName()).isEqualTo("HEAD");
		await().until(() -> comparisons("shadowed", "match") == matches + 1);
	}

	@Test
	void aStreamedLegacyAnswerIsRelayedWholeAndNotCompared() {
		legacy.stubFor(get(urlPathEqualTo("/shadowed/events")).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody("data: 1\n\n")));
		long skipped = comparisons("shadowed", "skipped");

		EntityExchangeResult<byte[]> answered = send("/shadowed/events", "traceparent", UNSAMPLED);

		assertThat(chainExchanges).hasValue(0);
		assertThat(new String(answered.getResponseBody())).isEqualTo("data: 1\n\n");
		await().until(() -> comparisons("shadowed", "skipped") == skipped + 1);
	}

	@Test
	void aMirrorBeyondTheLimitIsDroppedAndCountedWhileTheClientIsServed() {
		target.stubFor(get(urlPathMatching("/shadowed/slow/.*"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(2_000).withBody(BODY)));
		double dropped = dropped("shadowed");

		send("/shadowed/slow/1", "traceparent", UNSAMPLED);
		EntityExchangeResult<byte[]> second = send("/shadowed/slow/2", "traceparent", UNSAMPLED);

		assertThat(chainExchanges).hasValue(0);
		assertThat(new String(second.getResponseBody())).isEqualTo(BODY);
		assertThat(dropped("shadowed")).isEqualTo(dropped + 1);
		assertThat(awaitMirrors(1).get(0).getUrl()).isEqualTo("/shadowed/slow/1");
	}

	@Test
	void aCanaryRequestOnLegacyIsMirroredByTheFrontAndOneOnTheTargetIsServedThereUnmirrored() {
		String onLegacy = stickyKey(Backend.LEGACY);
		String onTarget = stickyKey(Backend.TARGET);

		EntityExchangeResult<byte[]> legacyServed = send("/canary/items/1", "traceparent", UNSAMPLED, "X-User-Id",
				onLegacy);

		assertThat(chainExchanges).hasValue(0);
		assertThat(legacyServed.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("legacy");
		assertThat(awaitMirrors(1).get(0).getHeader("X-User-Id")).isEqualTo(onLegacy);

		EntityExchangeResult<byte[]> targetServed = send("/canary/items/2", "traceparent", UNSAMPLED, "X-User-Id",
				onTarget);

		assertThat(chainExchanges).as("the target's share is served by the front too").hasValue(0);
		assertThat(targetServed.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("target");
		List<LoggedRequest> received = target.findAll(getRequestedFor(urlPathEqualTo("/canary/items/2")));
		assertThat(received).singleElement()
			.satisfies((request) -> assertThat(request.containsHeader("X-Strangler-Shadow")).isFalse());

		send("/canary/items/3", "traceparent", UNSAMPLED);
		assertThat(chainExchanges).as("without a sticky key the chain draws").hasValue(1);
	}

	/** A sticky key the route's 50 % puts on a backend, as the chain decides it. */
	private static String stickyKey(Backend backend) {
		RolloutDecider decider = new RolloutDecider(() -> 0.0);
		return IntStream.range(0, 1_000)
			.mapToObj((i) -> "user-" + i)
			.filter((key) -> decider.decide("canary", Percent.parse("50"), Optional.of(key)) == backend)
			.findFirst()
			.orElseThrow();
	}

	private EntityExchangeResult<byte[]> send(String uri, String... headers) {
		return send(HttpMethod.GET, uri, headers);
	}

	private EntityExchangeResult<byte[]> send(HttpMethod method, String uri, String... headers) {
		return this.client.method(method).uri(uri).headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange().expectStatus().isOk().expectBody().returnResult();
	}

	/**
	 * The mirrored requests the target received, oldest first, once there are as many.
	 */
	private static List<LoggedRequest> awaitMirrors(int count) {
		await().until(() -> mirrors().size() >= count);
		List<LoggedRequest> mirrors = mirrors();
		assertThat(mirrors).hasSize(count);
		return mirrors;
	}

	private static List<LoggedRequest> mirrors() {
		return target.getAllServeEvents()
			.stream()
			.map((event) -> event.getRequest())
			.filter((request) -> "true".equals(request.getHeader("X-Strangler-Shadow")))
			.sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
			.toList();
	}

	/** What the target received, names in lower case, less each path's own span. */

	private long comparisons(String route, String result) {
		return (long) this.meters.counter(ShadowReports.COMPARISONS, "route", route, "result", result).count();
	}

	private double dropped(String route) {
		return this.meters.counter(ShadowReports.DROPPED, "route", route).count();
	}

}
