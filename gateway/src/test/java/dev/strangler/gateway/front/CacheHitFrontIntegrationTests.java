package dev.strangler.gateway.front;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.strangler.gateway.cache.RouteCaches;
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
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fresh cache hits answered by the front, before the WebFlux filter chain, over real
 * HTTP: a test {@link WebFilter} counts the exchanges that enter the chain. WireMock is
 * legacy; routes in {@code routes/cache/routes.yml}; metrics and tracing on, as in
 * production.
 */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret",
				"strangler.routes.location=classpath:routes/cache/" })
class CacheHitFrontIntegrationTests {

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

	/**
	 * Exchanges that entered the WebFlux chain, which a hit served by the front never
	 * does.
	 */
	static final AtomicInteger chainExchanges = new AtomicInteger();

	@TestConfiguration(proxyBeanMethods = false)
	static class ChainCounter {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebFilter chainCounter() {
			return ChainExchanges.counting(chainExchanges, (path) -> path.startsWith("/cached/"));
		}

	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	RouteCaches routeCaches;

	@Autowired
	MeterRegistry registry;

	WebTestClient client;

	@BeforeEach
	void emptyCacheAndBackend() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.routeCaches.evict("cached");
		legacy.resetAll();
		legacy.stubFor(WireMock.any(WireMock.urlPathMatching("/cached/.*"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withHeader("ETag", "\"v1\"")
				.withBody("[1,2]")));
		chainExchanges.set(0);
	}

	private EntityExchangeResult<byte[]> get(String uri, String... headers) {
		// a URI as sent: the client's URI templates would tidy "//" away
		return this.client.get().uri(URI.create("http://127.0.0.1:" + this.port + uri)).headers((h) -> {
			h.add("Accept-Encoding", "identity");
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange().expectBody().returnResult();
	}

	private static String cacheStatus(EntityExchangeResult<?> result) {
		return result.getResponseHeaders().getFirst("Cache-Status");
	}

	private static int backendCalls() {
		return legacy.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
	}

	@Test
	void aFreshHitIsAnsweredWithoutEnteringTheFilterChain() {
		EntityExchangeResult<byte[]> miss = get("/cached/front");
		EntityExchangeResult<byte[]> hit = get("/cached/front");

		assertThat(cacheStatus(miss)).isEqualTo("strangler; fwd=miss; stored");
		assertThat(chainExchanges).as("only the miss entered the chain").hasValue(1);
		assertThat(cacheStatus(hit)).isEqualTo("strangler; hit");
		assertThat(hit.getStatus().value()).isEqualTo(200);
		assertThat(new String(hit.getResponseBody())).isEqualTo("[1,2]");
		assertThat(hit.getResponseHeaders().getContentLength()).isEqualTo(5);
		assertThat(hit.getResponseHeaders().getFirst("Content-Type")).isEqualTo("application/json");
		assertThat(hit.getResponseHeaders().getFirst("ETag")).isEqualTo("\"v1\"");
		assertThat(hit.getResponseHeaders().getFirst("Age")).matches("\\d+");
		assertThat(hit.getResponseHeaders().getFirst("X-Strangler-Route")).isEqualTo("cached");
		assertThat(hit.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("legacy");
		assertThat(backendCalls()).isEqualTo(1);
	}

	@Test
	void aHitFromTheFrontHasTheHeadersOfAHitFromTheChain() {
		get("/cached/same");
		// a forcing header the gateway does not believe (forcing is off) sends the
		// request through the chain, which serves it from the same entry
		EntityExchangeResult<byte[]> chainHit = get("/cached/same", "X-Strangler-Force-Backend", "legacy");
		assertThat(chainExchanges).hasValue(2);
		EntityExchangeResult<byte[]> frontHit = get("/cached/same");

		assertThat(chainExchanges).as("the second hit was the front's").hasValue(2);
		assertThat(cacheStatus(chainHit)).isEqualTo("strangler; hit");
		assertThat(withoutAge(frontHit.getResponseHeaders())).isEqualTo(withoutAge(chainHit.getResponseHeaders()));
		assertThat(frontHit.getResponseBody()).isEqualTo(chainHit.getResponseBody());
		assertThat(backendCalls()).isEqualTo(1);
	}

	/**
	 * Names spelled as sent (case included), values as sent; Age aside, as it may tick.
	 */
	private static Map<String, Object> withoutAge(HttpHeaders headers) {
		Map<String, Object> comparable = new TreeMap<>();
		headers.forEach((name, values) -> comparable.put(name, values));
		assertThat(comparable).containsKey("Age");
		comparable.remove("Age");
		return comparable;
	}

	@Test
	void aHeadHitHasTheGetsHeadersAndNoBody() {
		get("/cached/head");

		EntityExchangeResult<byte[]> head = this.client.head()
			.uri("/cached/head")
			.header("Accept-Encoding", "identity")
			.exchange()
			.expectBody()
			.returnResult();

		assertThat(chainExchanges).hasValue(1);
		assertThat(cacheStatus(head)).isEqualTo("strangler; hit");
		assertThat(head.getResponseHeaders().getContentLength()).isEqualTo(5);
		assertThat(head.getResponseBody()).isNullOrEmpty();
		assertThat(backendCalls()).isEqualTo(1);
	}

	@Test
	void aNoCacheRequestGoesThroughTheChainAndRefreshesTheEntry() {
		get("/cached/refresh");

		EntityExchangeResult<byte[]> refreshed = get("/cached/refresh", "Cache-Control", "no-cache");

		assertThat(chainExchanges).hasValue(2);
		assertThat(cacheStatus(refreshed)).isEqualTo("strangler; fwd=request; stored");
		assertThat(backendCalls()).isEqualTo(2);
	}

	@Test
	void aPathNotInNormalFormGoesThroughTheChainEachTime() {
		for (String path : new String[] { "/cached//norm", "/cached/n%6Frm" }) {
			int before = chainExchanges.get();

			get(path);
			EntityExchangeResult<byte[]> again = get(path);

			assertThat(cacheStatus(again)).as(path).isEqualTo("strangler; hit");
			assertThat(chainExchanges.get() - before).as(path).isEqualTo(2);
		}
	}

	@Test
	void aPathTheChainRefusesIsRefusedEachTimeEvenWhenItsNormalFormIsCached() {
		get("/cached/norm");
		assertThat(cacheStatus(get("/cached/norm"))).isEqualTo("strangler; hit");
		int before = chainExchanges.get();

		// path parameters cannot be normalised safely: the chain answers 400
		for (int i = 0; i < 2; i++) {
			EntityExchangeResult<byte[]> refused = get("/cached/norm;jsessionid=1");
			assertThat(refused.getStatus().value()).isEqualTo(400);
			assertThat(cacheStatus(refused)).isNull();
		}
		assertThat(chainExchanges.get() - before).isEqualTo(2);
	}

	@Test
	void afterAnEvictionThroughTheAdminApiTheNextRequestIsAMiss() {
		get("/cached/evict");
		assertThat(cacheStatus(get("/cached/evict"))).isEqualTo("strangler; hit");

		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.delete()
			.uri("/actuator/migration/cached/cache")
			.headers((h) -> h.setBasicAuth("ops", "s3cret"))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();

		assertThat(cacheStatus(get("/cached/evict"))).isEqualTo("strangler; fwd=miss; stored");
		assertThat(chainExchanges).hasValue(2);
		assertThat(backendCalls()).isEqualTo(2);
	}

	@Test
	void aHitIsCountedTimedAndLoggedLikeAHitFromTheChain(CapturedOutput output) {
		// taken before the miss: the chain reports it once its write completed, which
		// may be after the client has the response
		long timed = timedRequests();
		long observed = serverRequests();
		get("/cached/counted");
		double hits = cacheGets("hit");
		double misses = cacheGets("miss");

		String traceId = "4bf92f3577b34da6a3ce929d0e0e4799";
		get("/cached/counted", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");

		assertThat(chainExchanges).hasValue(1);
		assertThat(cacheGets("hit") - hits).isEqualTo(1);
		assertThat(cacheGets("miss") - misses).isZero();
		// the miss and the hit, each reported once its write completed
		await().untilAsserted(() -> {
			assertThat(timedRequests() - timed).isEqualTo(2);
			assertThat(serverRequests() - observed).as("http.server.requests").isEqualTo(2);
		});
		await().untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("GET /cached/counted 200 \\d+ms route=cached stage=legacy backend=legacy cache=hit "
					+ "fallback=- trace=" + traceId));
	}

	@Test
	void anUnsampledHitIsTimedAndLoggedWithItsTrace(CapturedOutput output) {
		long observed = serverRequests();
		get("/cached/unsampled");

		String traceId = "4bf92f3577b34da6a3ce929d0e0e4798";
		get("/cached/unsampled", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-00");

		assertThat(chainExchanges).hasValue(1);
		await().untilAsserted(
				() -> assertThat(serverRequests() - observed).as("http.server.requests of the miss and the hit")
					.isEqualTo(2));
		await().untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("GET /cached/unsampled 200 \\d+ms route=cached stage=legacy backend=legacy cache=hit "
					+ "fallback=- trace=" + traceId));
	}

	@Test
	void aHitCountsOnceInTheAdminTrafficFiguresLikeARequestThroughTheChain() {
		long before = adminRequests();

		get("/cached/traffic");
		assertThat(cacheStatus(get("/cached/traffic"))).isEqualTo("strangler; hit");

		assertThat(chainExchanges).hasValue(1);
		// the miss through the chain and the hit from the front, each reported once
		await().untilAsserted(() -> assertThat(adminRequests() - before).isEqualTo(2));
		assertThat(timedRequests()).isGreaterThanOrEqualTo(2);
	}

	private long adminRequests() {
		Map<?, ?> body = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/migration")
			.headers((h) -> h.setBasicAuth("ops", "s3cret"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		for (Object route : (List<?>) body.get("routes")) {
			Map<?, ?> view = (Map<?, ?>) route;
			if ("cached".equals(view.get("id"))) {
				Map<?, ?> stats = (Map<?, ?>) view.get("stats");
				Map<?, ?> requests = (Map<?, ?>) stats.get("requests");
				Map<?, ?> legacyStats = (Map<?, ?>) requests.get("legacy");
				return ((Number) legacyStats.get("count")).longValue();
			}
		}
		throw new AssertionError("no route cached in " + body);
	}

	private double cacheGets(String result) {
		return this.registry.get("cache.gets").tag("cache", "cached").tag("result", result).functionCounter().count();
	}

	private long serverRequests() {
		return this.registry.find("http.server.requests")
			.tag("status", "200")
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum();
	}

	private long timedRequests() {
		Timer timer = this.registry.find("strangler.requests")
			.tag("route", "cached")
			.tag("backend", "legacy")
			.tag("stage", "legacy")
			.tag("status", "200")
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

}
