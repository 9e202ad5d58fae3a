package dev.strangler.gateway.front;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.strangler.gateway.rollout.RolloutExpectations;
import dev.strangler.gateway.rollout.RolloutDecider;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.support.ChainExchanges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front's cache hits on canary routes, over real HTTP (routes in
 * {@code routes/cache-canary/routes.yml}, WireMock as legacy and target, a pinned random
 * that counts its draws, a test {@link WebFilter} counting the exchanges that enter the
 * chain): a canary draw is made once per request, so the front answers only the hits it
 * can place without one.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/cache-canary/" })
class CacheHitFrontCanaryIntegrationTests {

	private static final Percent FIFTY = Percent.parse("50");

	static final WireMockServer legacy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	static final WireMockServer target = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	static {
		legacy.start();
		target.start();
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
	}

	/** The keyless split's random, pinned per test. */
	static final AtomicReference<Random> random = new AtomicReference<>(new Random(0));

	/** Random draws made by the rollout, wherever they were made. */
	static final AtomicInteger draws = new AtomicInteger();

	/**
	 * Exchanges that entered the WebFlux chain, which a hit served by the front never
	 * does.
	 */
	static final AtomicInteger chainExchanges = new AtomicInteger();

	@TestConfiguration(proxyBeanMethods = false)
	static class PinnedRandomAndChainCounter {

		@Bean
		@Primary
		RolloutDecider countingRolloutDecider() {
			return RolloutExpectations.pinnedDecider(random, draws);
		}

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebFilter chainCounter() {
			return ChainExchanges.counting(chainExchanges, (path) -> path.startsWith("/api/"));
		}

	}

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void stubBackends() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		for (WireMockServer backend : new WireMockServer[] { legacy, target }) {
			String name = (backend == legacy) ? "legacy" : "target";
			backend.resetAll();
			backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("\"" + name + "\"")));
		}
		draws.set(0);
		chainExchanges.set(0);
	}

	@Test
	void keylessRequestsOfACachedCanaryAreDrawnOnceEachInTheChain() {
		random.set(new Random(11));
		int requests = 300;
		long served = IntStream.range(0, requests)
			.filter((n) -> "target".equals(backendFor("/api/random/items?n=" + n)))
			.count();

		assertThat(draws).as("one draw per request").hasValue(requests);
		assertThat(served).isEqualTo(RolloutExpectations.targetsDrawn(new Random(11), requests, FIFTY));
		assertThat(chainExchanges).hasValue(requests);

		// Asked again, each URL is stored by the backend that first served it. Each
		// request is still drawn once, in the chain, and served by the backend drawn:
		// from its cache, or by a call when it has not answered this URL yet.
		random.set(new Random(12));
		long again = IntStream.range(0, requests)
			.filter((n) -> "target".equals(backendFor("/api/random/items?n=" + n)))
			.count();
		assertThat(draws).hasValue(2 * requests);
		assertThat(again).isEqualTo(RolloutExpectations.targetsDrawn(new Random(12), requests, FIFTY));
		assertThat(chainExchanges).hasValue(2 * requests);
	}

	@Test
	void aStickyUsersRepeatedRequestIsAHitTheFrontServesFromTheUsersBackend() {
		int users = 60;
		for (int user = 0; user < users; user++) {
			assertThat(backendFor("/api/users/profile", "X-User-Id", "user-" + user)).as("user-" + user)
				.isEqualTo(RolloutExpectations.expectedBackend("users", "user-" + user, FIFTY));
		}
		int firstPass = chainExchanges.get();
		// one miss per backend; every other request a hit (the front's or, when it came
		// while the first load was in flight, the chain's)
		assertThat(firstPass).isGreaterThanOrEqualTo(2);

		for (int user = 0; user < users; user++) {
			EntityExchangeResult<String> result = get("/api/users/profile", "X-User-Id", "user-" + user);
			assertThat(result.getResponseBody()).as("user-" + user)
				.isEqualTo("\"" + RolloutExpectations.expectedBackend("users", "user-" + user, FIFTY) + "\"");
			assertThat(result.getResponseHeaders().getFirst("Cache-Status")).as("user-" + user).contains("hit");
		}
		assertThat(chainExchanges).as("every hit answered by the front").hasValue(firstPass);
		assertThat(draws).as("keyed requests are placed by their bucket").hasValue(0);
	}

	@Test
	void aKeylessRequestOfAStickyCanaryIsLeftToTheChainToDraw() {
		random.set(new Random(5));
		int requests = 100;
		long served = IntStream.range(0, requests)
			.filter((n) -> "target".equals(backendFor("/api/users/cart")))
			.count();

		assertThat(draws).as("one draw per request").hasValue(requests);
		assertThat(served).isEqualTo(RolloutExpectations.targetsDrawn(new Random(5), requests, FIFTY));
		assertThat(chainExchanges).hasValue(requests);
	}

	private String backendFor(String uri, String... headers) {
		return get(uri, headers).getResponseHeaders().getFirst("X-Strangler-Backend");
	}

	private EntityExchangeResult<String> get(String uri, String... headers) {
		return this.client.get().uri(uri).headers((h) -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange().expectStatus().isOk().expectBody(String.class).returnResult();
	}

}
