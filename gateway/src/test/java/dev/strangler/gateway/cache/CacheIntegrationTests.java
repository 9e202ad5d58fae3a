package dev.strangler.gateway.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
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
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Response caching over real HTTP, with WireMock as legacy (routes in
 * {@code routes/cache/routes.yml}) and a hand-moved clock.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/cache/", "strangler.cache.max-body-size=64KB" })
class CacheIntegrationTests {

	/**
	 * One server for the whole class: the application context (and the legacy URL in it)
	 * is shared by the nested classes, and an extension would restart the server on
	 * another port for each of them.
	 */
	static final HeldAnswers held = new HeldAnswers();

	static final WireMockServer legacy = new WireMockServer(
			wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(120).extensions(held));

	static {
		legacy.start();
	}

	@AfterAll
	static void stopLegacy() {
		legacy.stop();
	}

	static final FakeTime time = new FakeTime();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.port());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class HandMovedTime {

		@Bean
		CacheTime cacheTime() {
			return new CacheTime(time, time);
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	RouteCaches routeCaches;

	@Autowired
	MeterRegistry meterRegistry;

	WebTestClient client;

	@BeforeEach
	void emptyCacheAndBackend() {
		// generous: the build machine may be busy, and a timeout here would say nothing
		// about caching
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.routeCaches.evict("cached");
		held.release();
		legacy.resetAll();
	}

	private void backendAnswers(String path, ResponseDefinitionBuilder answer) {
		legacy.stubFor(any(urlPathEqualTo(path)).willReturn(answer));
	}

	private EntityExchangeResult<String> get(String uri, String... headers) {
		return this.client.get().uri(uri).headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange().expectBody(String.class).returnResult();
	}

	private static String cacheStatus(EntityExchangeResult<?> result) {
		return result.getResponseHeaders().getFirst("Cache-Status");
	}

	private static int backendCalls() {
		return legacy.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
	}

	@Test
	void theCacheRunsAfterTheBackendIsChosenAndCapturesWhatTheGatewayWrites(
			@Autowired Map<String, GlobalFilter> filters) {
		int routing = ((Ordered) filters.get("backendRoutingFilter")).getOrder();

		assertThat(ResponseCacheFilter.ORDER).isGreaterThan(routing).isLessThan(NettyRoutingFilter.ORDER);
		assertThat(ResponseCaptureFilter.ORDER).isLessThan(NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER);
	}

	@Nested
	class HitsAndMisses {

		@Test
		void aMissIsStoredAndTheNextRequestIsAHit() {
			backendAnswers("/cached/products",
					aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[1,2]"));

			// identity: a client that decompresses drops Content-Length
			EntityExchangeResult<String> miss = get("/cached/products", "Accept-Encoding", "identity");
			EntityExchangeResult<String> hit = get("/cached/products", "Accept-Encoding", "identity");

			assertThat(cacheStatus(miss)).isEqualTo("strangler; fwd=miss; stored");
			assertThat(cacheStatus(hit)).isEqualTo("strangler; hit");
			assertThat(hit.getResponseBody()).isEqualTo("[1,2]");
			assertThat(hit.getResponseHeaders().getFirst("Age")).isEqualTo("0");
			assertThat(hit.getResponseHeaders().getFirst("Content-Type")).isEqualTo("application/json");
			assertThat(hit.getResponseHeaders().getContentLength()).isEqualTo(5);
			assertThat(hit.getResponseHeaders().getFirst("X-Strangler-Route")).isEqualTo("cached");
			assertThat(hit.getResponseHeaders().getFirst("X-Strangler-Backend")).isEqualTo("legacy");
			assertThat(backendCalls()).isEqualTo(1);
		}

		@Test
		void ageGrowsWhileTheEntryIsHeld() {
			backendAnswers("/cached/age", aResponse().withStatus(200).withBody("x"));
			get("/cached/age");

			time.advance(Duration.ofSeconds(7));

			assertThat(get("/cached/age").getResponseHeaders().getFirst("Age")).isEqualTo("7");
			time.advance(Duration.ofSeconds(5));
			assertThat(get("/cached/age").getResponseHeaders().getFirst("Age")).isEqualTo("12");
		}

		@Test
		void anEntryExpiresAfterTheRouteTtl() {
			backendAnswers("/cached/ttl", aResponse().withStatus(200).withBody("x"));
			get("/cached/ttl");

			time.advance(Duration.ofSeconds(29));
			assertThat(cacheStatus(get("/cached/ttl"))).isEqualTo("strangler; hit");
			time.advance(Duration.ofSeconds(1));

			assertThat(cacheStatus(get("/cached/ttl"))).isEqualTo("strangler; fwd=miss; stored");
			assertThat(backendCalls()).isEqualTo(2);
		}

		@Test
		void aShorterMaxAgeGivenOverSeveralHeaderLinesExpiresItEarlier() {
			backendAnswers("/cached/short",
					aResponse().withStatus(200).withHeader("Cache-Control", "public", "max-age=5").withBody("x"));
			get("/cached/short");

			time.advance(Duration.ofSeconds(4));
			assertThat(cacheStatus(get("/cached/short"))).isEqualTo("strangler; hit");
			time.advance(Duration.ofSeconds(1));

			assertThat(cacheStatus(get("/cached/short"))).isEqualTo("strangler; fwd=miss; stored");
			assertThat(backendCalls()).isEqualTo(2);
		}

		@Test
		void queryParametersInAnotherOrderAreTheSameEntry() {
			backendAnswers("/cached/search", aResponse().withStatus(200).withBody("found"));

			get("/cached/search?b=2&a=1");
			EntityExchangeResult<String> reordered = get("/cached/search?a=1&b=2");

			assertThat(cacheStatus(reordered)).isEqualTo("strangler; hit");
			assertThat(backendCalls()).isEqualTo(1);
		}

		@Test
		void aHeadIsAnsweredFromTheGetEntry() {
			backendAnswers("/cached/head", aResponse().withStatus(200).withBody("body"));
			get("/cached/head", "Accept-Encoding", "identity");

			EntityExchangeResult<byte[]> head = CacheIntegrationTests.this.client.head()
				.uri("/cached/head")
				.header("Accept-Encoding", "identity")
				.exchange()
				.expectBody()
				.returnResult();

			assertThat(cacheStatus(head)).isEqualTo("strangler; hit");
			assertThat(head.getResponseHeaders().getContentLength()).isEqualTo(4);
			legacy.verify(0, headRequestedFor(urlEqualTo("/cached/head")));
		}

		@Test
		void routesWithoutACacheBlockAreNotCached() {
			backendAnswers("/plain/x", aResponse().withStatus(200).withBody("x"));

			EntityExchangeResult<String> first = get("/plain/x");
			get("/plain/x");

			assertThat(first.getResponseHeaders().containsKey("Cache-Status")).isFalse();
			assertThat(backendCalls()).isEqualTo(2);
		}

		@Test
		void hitsAndMissesAreCountedPerRoute() {
			backendAnswers("/cached/metrics", aResponse().withStatus(200).withBody("x"));
			double hitsBefore = hits();

			get("/cached/metrics");
			get("/cached/metrics");

			assertThat(hits() - hitsBefore).isEqualTo(1);
		}

		private double hits() {
			return CacheIntegrationTests.this.meterRegistry.get("cache.gets")
				.tag("cache", "cached")
				.tag("result", "hit")
				.functionCounter()
				.count();
		}

	}

	@Nested
	class NeverCached {

		private void assertGoesToTheBackendEachTime(String path, String... requestHeaders) {
			EntityExchangeResult<String> first = get(path, requestHeaders);
			EntityExchangeResult<String> second = get(path, requestHeaders);

			assertThat(cacheStatus(first)).isEqualTo("strangler; fwd=miss");
			assertThat(cacheStatus(second)).isEqualTo("strangler; fwd=miss");
			assertThat(backendCalls()).isEqualTo(2);
		}

		@Test
		void noStoreResponses() {
			backendAnswers("/cached/n", aResponse().withStatus(200).withHeader("Cache-Control", "no-store"));
			assertGoesToTheBackendEachTime("/cached/n");
		}

		@Test
		void privateResponses() {
			backendAnswers("/cached/n", aResponse().withStatus(200).withHeader("Cache-Control", "private, max-age=60"));
			assertGoesToTheBackendEachTime("/cached/n");
		}

		@Test
		void responsesSettingACookie() {
			backendAnswers("/cached/n", aResponse().withStatus(200).withHeader("Set-Cookie", "session=abc"));
			assertGoesToTheBackendEachTime("/cached/n");
		}

		@Test
		void uncacheableStatuses() {
			backendAnswers("/cached/n", aResponse().withStatus(500).withBody("boom"));
			assertGoesToTheBackendEachTime("/cached/n");
		}

		@Test
		void authorizedRequestsUnlessTheResponseIsPublic() {
			backendAnswers("/cached/n", aResponse().withStatus(200).withHeader("Cache-Control", "max-age=60"));
			assertGoesToTheBackendEachTime("/cached/n", "Authorization", "Bearer secret");
		}

		@Test
		void bodiesAboveTheSizeLimit() {
			backendAnswers("/cached/n", aResponse().withStatus(200).withBody("x".repeat(100 * 1024)));

			// identity: a compressed copy of this body would fit under the limit
			EntityExchangeResult<String> first = get("/cached/n", "Accept-Encoding", "identity");
			get("/cached/n", "Accept-Encoding", "identity");

			assertThat(first.getResponseBody()).hasSize(100 * 1024);
			assertThat(backendCalls()).isEqualTo(2);
		}

		@Test
		void otherMethods() {
			legacy.stubFor(post("/cached/n").willReturn(aResponse().withStatus(200).withBody("posted")));

			for (int i = 0; i < 2; i++) {
				CacheIntegrationTests.this.client.post()
					.uri("/cached/n")
					.exchange()
					.expectHeader()
					.valueEquals("Cache-Status", "strangler; fwd=method");
			}

			assertThat(backendCalls()).isEqualTo(2);
		}

		@Test
		void noStoreRequests() {
			backendAnswers("/cached/n", aResponse().withStatus(200));

			get("/cached/n", "Cache-Control", "no-store");
			EntityExchangeResult<String> second = get("/cached/n", "Cache-Control", "no-store");

			assertThat(cacheStatus(second)).isEqualTo("strangler; fwd=request");
			assertThat(backendCalls()).isEqualTo(2);
		}

	}

	@Nested
	class Refresh {

		@Test
		void aNoCacheRequestGoesToTheBackendAndRefreshesTheEntry() {
			legacy.stubFor(WireMock.get("/cached/r")
				.inScenario("versions")
				.whenScenarioStateIs(Scenario.STARTED)
				.willReturn(aResponse().withStatus(200).withBody("v1"))
				.willSetStateTo("v2"));
			legacy.stubFor(WireMock.get("/cached/r")
				.inScenario("versions")
				.whenScenarioStateIs("v2")
				.willReturn(aResponse().withStatus(200).withBody("v2")));
			get("/cached/r");

			EntityExchangeResult<String> refreshed = get("/cached/r", "Cache-Control", "no-cache");
			EntityExchangeResult<String> after = get("/cached/r");

			assertThat(cacheStatus(refreshed)).isEqualTo("strangler; fwd=request; stored");
			assertThat(refreshed.getResponseBody()).isEqualTo("v2");
			assertThat(cacheStatus(after)).isEqualTo("strangler; hit");
			assertThat(after.getResponseBody()).isEqualTo("v2");
			assertThat(backendCalls()).isEqualTo(2);
		}

		@Test
		void evictingTheRoutesCacheMakesTheNextRequestAMiss() {
			backendAnswers("/cached/e", aResponse().withStatus(200).withBody("x"));
			get("/cached/e");

			assertThat(CacheIntegrationTests.this.routeCaches.evict("cached")).isTrue();

			assertThat(cacheStatus(get("/cached/e"))).isEqualTo("strangler; fwd=miss; stored");
			assertThat(CacheIntegrationTests.this.routeCaches.evict("plain")).isFalse();
		}

		@Test
		void aFailedLoadIsNotCached() {
			backendAnswers("/cached/f", aResponse().withFault(Fault.EMPTY_RESPONSE));
			EntityExchangeResult<String> failed = get("/cached/f");
			backendAnswers("/cached/f", aResponse().withStatus(200).withBody("back"));

			EntityExchangeResult<String> next = get("/cached/f");

			assertThat(failed.getStatus().is5xxServerError()).isTrue();
			assertThat(cacheStatus(next)).isEqualTo("strangler; fwd=miss; stored");
			assertThat(next.getResponseBody()).isEqualTo("back");
		}

	}

	@Nested
	class Vary {

		@Test
		void requestsDifferingInARouteVaryHeaderGetDifferentEntries() {
			backendAnswers("/cached/v", aResponse().withStatus(200).withBody("any"));

			get("/cached/v", "Accept", "application/json");
			EntityExchangeResult<String> html = get("/cached/v", "Accept", "text/html");
			EntityExchangeResult<String> jsonAgain = get("/cached/v", "Accept", "application/json");

			assertThat(cacheStatus(html)).isEqualTo("strangler; fwd=miss; stored");
			assertThat(cacheStatus(jsonAgain)).isEqualTo("strangler; hit");
			assertThat(backendCalls()).isEqualTo(2);
		}

		@Test
		void theResponsesOwnVaryHeadersSplitEntriesToo() {
			legacy.stubFor(WireMock.get("/cached/lang")
				.withHeader("Accept-Language", equalTo("en"))
				.willReturn(aResponse().withStatus(200).withHeader("Vary", "Accept-Language").withBody("hello")));
			legacy.stubFor(WireMock.get("/cached/lang")
				.withHeader("Accept-Language", equalTo("de"))
				.willReturn(aResponse().withStatus(200).withHeader("Vary", "Accept-Language").withBody("hallo")));

			get("/cached/lang", "Accept-Language", "en");
			EntityExchangeResult<String> german = get("/cached/lang", "Accept-Language", "de");
			EntityExchangeResult<String> english = get("/cached/lang", "Accept-Language", "en");
			EntityExchangeResult<String> germanAgain = get("/cached/lang", "Accept-Language", "de");

			assertThat(german.getResponseBody()).isEqualTo("hallo");
			assertThat(cacheStatus(english)).isEqualTo("strangler; hit");
			assertThat(english.getResponseBody()).isEqualTo("hello");
			assertThat(cacheStatus(germanAgain)).isEqualTo("strangler; hit");
			assertThat(germanAgain.getResponseBody()).isEqualTo("hallo");
			assertThat(backendCalls()).isEqualTo(2);
		}

	}

	@Nested
	class Coalescing {

		/** Enough connections for every request of a test at once. */
		final ConnectionProvider connections = ConnectionProvider.builder("coalescing").maxConnections(40).build();

		WebClient accounts;

		@BeforeEach
		void accountsClient() {
			this.accounts = WebClient.builder()
				.baseUrl("http://127.0.0.1:" + CacheIntegrationTests.this.port)
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(this.connections)))
				.build();
		}

		@AfterEach
		void closeConnections() {
			this.connections.dispose();
		}

		@Test
		void aHundredConcurrentColdRequestsMakeOneBackendCallAndAllGetTheBody() {
			backendAnswers("/cached/slow", aResponse().withStatus(200).withFixedDelay(500).withBody("slow listing"));

			Map<String, Long> statuses = coldRequests("/cached/slow", (i) -> Duration.ZERO);

			assertThat(statuses).containsEntry("strangler; fwd=miss; stored", 1L);
			legacy.verify(1, getRequestedFor(urlEqualTo("/cached/slow")));
		}

		/**
		 * Requests that arrive while the load completes, when the response's own
		 * {@code Vary} is learnt and the entry is filed under its real key, must find it:
		 * they once started a second load in that instant.
		 */
		@Test
		void requestsArrivingAsTheLoadEndsStillMakeNoSecondBackendCall() {
			backendAnswers("/cached/spread",
					aResponse().withStatus(200)
						.withHeader("Vary", "Accept-Language")
						.withFixedDelay(500)
						.withBody("slow listing"));

			// 800 ms of arrivals around a 500 ms load: before, as and after it ends
			Map<String, Long> statuses = coldRequests("/cached/spread", (i) -> Duration.ofMillis(8L * i));

			assertThat(statuses).containsEntry("strangler; fwd=miss; stored", 1L);
			legacy.verify(1, getRequestedFor(urlEqualTo("/cached/spread")));
		}

		/**
		 * A 401 is not stored but is shared with the requests collapsed onto its load; a
		 * request that carries other credentials must not get it: it asks the backend
		 * itself. Requests identical to the one that loaded still share its answer. The
		 * 401 is held back until all thirty requests have joined its load, so the test
		 * does not depend on the machine's speed; alice's and bob's own answers are ones
		 * nobody else may have ({@code Authorization}, {@code private}).
		 */
		@Test
		void anUnstoredAnswerIsNeverHandedToWaitersWithOtherCredentials() {
			legacy.stubFor(WireMock.get(urlEqualTo("/cached/account"))
				.atPriority(9)
				.willReturn(aResponse().withStatus(401).withBody("who are you?").withTransformers(HeldAnswers.NAME)));
			legacy.stubFor(WireMock.get(urlEqualTo("/cached/account"))
				.withHeader("Authorization", equalTo("Bearer alice"))
				.atPriority(1)
				.willReturn(aResponse().withStatus(200).withBody("alice's account")));
			legacy.stubFor(WireMock.get(urlEqualTo("/cached/account"))
				.withHeader("Cookie", equalTo("session=bob"))
				.atPriority(1)
				.willReturn(
						aResponse().withStatus(200).withHeader("Cache-Control", "private").withBody("bob's account")));

			List<Mono<String>> others = new ArrayList<>();
			others.addAll(Collections.nCopies(10, answer("Authorization", "Bearer alice")));
			others.addAll(Collections.nCopies(10, answer("Cookie", "session=bob")));
			others.addAll(Collections.nCopies(10, answer("X-Test", "anonymous")));
			List<String> answers = new ArrayList<>();

			String first = collapsedOnto(answer("X-Test", "anonymous"), others, answers);

			assertThat(first).isEqualTo("401 who are you? | strangler; fwd=miss");
			// the whole list, so that a failure shows what every request got
			List<String> expected = new ArrayList<>();
			expected.addAll(Collections.nCopies(10, "200 alice's account | strangler; fwd=miss"));
			expected.addAll(Collections.nCopies(10, "200 bob's account | strangler; fwd=miss"));
			expected.addAll(Collections.nCopies(10, "401 who are you? | strangler; fwd=miss; collapsed"));
			assertThat(answers).containsExactlyInAnyOrderElementsOf(expected);
			legacy.verify(1, getRequestedFor(urlEqualTo("/cached/account")).withoutHeader("Authorization")
				.withoutHeader("Cookie"));
			legacy.verify(10, getRequestedFor(urlEqualTo("/cached/account")).withHeader("Authorization",
					equalTo("Bearer alice")));
			legacy.verify(10,
					getRequestedFor(urlEqualTo("/cached/account")).withHeader("Cookie", equalTo("session=bob")));
		}

		/**
		 * A 200 to a request with a {@code Cookie}, and nothing saying it is private, is
		 * stored (RFC 9111: of the request's headers only {@code Authorization} keeps a
		 * response out of a shared cache), so every request collapsed onto its load gets
		 * it, whatever its credentials. The order a busy machine once gave the test above
		 * when bob's answer was not marked private: the anonymous 401 had ended before
		 * the others arrived, and bob's load was in flight.
		 */
		@Test
		void aStorableAnswerToARequestWithACookieIsHandedToEveryWaiter() {
			legacy.stubFor(WireMock.get(urlEqualTo("/cached/account"))
				.atPriority(9)
				.willReturn(aResponse().withStatus(401).withBody("who are you?")));
			legacy.stubFor(WireMock.get(urlEqualTo("/cached/account"))
				.withHeader("Authorization", equalTo("Bearer alice"))
				.atPriority(1)
				.willReturn(aResponse().withStatus(200).withBody("alice's account")));
			legacy.stubFor(WireMock.get(urlEqualTo("/cached/account"))
				.withHeader("Cookie", equalTo("session=bob"))
				.atPriority(1)
				.willReturn(aResponse().withStatus(200).withBody("bob's account").withTransformers(HeldAnswers.NAME)));

			List<Mono<String>> others = new ArrayList<>();
			others.addAll(Collections.nCopies(5, answer("Authorization", "Bearer alice")));
			others.addAll(Collections.nCopies(5, answer("X-Test", "anonymous")));
			List<String> answers = new ArrayList<>();

			String first = collapsedOnto(answer("Cookie", "session=bob"), others, answers);

			assertThat(first).isEqualTo("200 bob's account | strangler; fwd=miss; stored");
			assertThat(answers).containsExactlyElementsOf(
					Collections.nCopies(10, "200 bob's account | strangler; fwd=miss; collapsed"));
			legacy.verify(1, getRequestedFor(urlEqualTo("/cached/account")));
		}

		/**
		 * Sends {@code first}, holds its backend answer until every one of {@code others}
		 * has joined its load, then lets it go.
		 * @return the first request's answer; {@code answers} has the others'
		 */
		private String collapsedOnto(Mono<String> first, List<Mono<String>> others, List<String> answers) {
			held.hold();
			try {
				List<String> firstAnswer = new CopyOnWriteArrayList<>();
				first.subscribe(firstAnswer::add);
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> held.arrived() == 1);
				long joinedBefore = joined();
				CompletableFuture<List<String>> othersAnswers = Flux.fromIterable(others)
					.flatMap(Function.identity(), others.size())
					.collectList()
					.toFuture();
				// a request that joins a load counts as a hit
				Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> joined() - joinedBefore == others.size());
				held.release();
				answers.addAll(othersAnswers.get(30, TimeUnit.SECONDS));
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> firstAnswer.size() == 1);
				return firstAnswer.get(0);
			}
			catch (InterruptedException | ExecutionException | TimeoutException ex) {
				throw new IllegalStateException("The requests collapsed onto the held load got no answer", ex);
			}
			finally {
				held.release();
			}
		}

		private long joined() {
			return CacheIntegrationTests.this.routeCaches.snapshot("cached").orElseThrow().hits();
		}

		private Mono<String> answer(String header, String value) {
			return this.accounts.get()
				.uri("/cached/account")
				.header(header, value)
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.map((body) -> response.statusCode().value() + " " + body + " | "
							+ response.headers().asHttpHeaders().getFirst("Cache-Status")));
		}

		/**
		 * Sends a hundred requests at once (each after its own delay), checks every one
		 * got the body and counts their {@code Cache-Status} values.
		 */
		private Map<String, Long> coldRequests(String path, Function<Integer, Duration> delay) {
			// A connection per client: the shared default pool would queue most of
			// them, so the requests would not be concurrent.
			ConnectionProvider connections = ConnectionProvider.builder("cold-requests").maxConnections(100).build();
			try {
				return coldRequests(path, delay,
						WebClient.builder()
							.baseUrl("http://127.0.0.1:" + CacheIntegrationTests.this.port)
							.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
							.build());
			}
			finally {
				connections.dispose();
			}
		}

		private Map<String, Long> coldRequests(String path, Function<Integer, Duration> delay, WebClient webClient) {
			List<Map.Entry<HttpStatus, String>> answers = Flux.range(0, 100)
				.flatMap(
						(i) -> Mono.delay(delay.apply(i))
							.then(webClient.get()
								.uri(path)
								.exchangeToMono((response) -> response.bodyToMono(String.class)
									.map((body) -> Map.entry(HttpStatus.valueOf(response.statusCode().value()),
											body + " | "
													+ response.headers().asHttpHeaders().getFirst("Cache-Status"))))),
						100)
				.collectList()
				.block(Duration.ofSeconds(30));

			assertThat(answers).hasSize(100).allSatisfy((answer) -> {
				assertThat(answer.getKey()).isEqualTo(HttpStatus.OK);
				assertThat(answer.getValue()).startsWith("slow listing | strangler; ");
			});
			return answers.stream()
				.map((answer) -> answer.getValue().substring("slow listing | ".length()))
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		}

	}

}
