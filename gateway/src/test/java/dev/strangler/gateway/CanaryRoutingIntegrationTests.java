package dev.strangler.gateway;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.gateway.rollout.RolloutExpectations;
import dev.strangler.gateway.rollout.RolloutDecider;
import dev.strangler.gateway.route.Percent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canary routing over real HTTP, WireMock as legacy and target (routes in
 * {@code routes/canary/routes.yml}, every canary at 50%): the sticky split per kind of
 * key, the keyless split with a pinned random, trusted proxies and the tester's
 * backend-forcing header.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/canary/",
				// The test client connects from 127.0.0.1 (a trusted proxy) or from
				// 127.0.0.2 (an untrusted client).
				"strangler.rollout.trusted-proxies=127.0.0.1", "strangler.testing.force-backend.enabled=true",
				"strangler.testing.force-backend.token=" + CanaryRoutingIntegrationTests.TOKEN })
class CanaryRoutingIntegrationTests {

	static final String TOKEN = "s3cret-tester-token-0123456789";

	private static final Percent FIFTY = Percent.parse("50");

	/** The keyless split's random; each test that counts on it pins a seed. */
	static final AtomicReference<Random> random = new AtomicReference<>(new Random(0));

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

	@TestConfiguration(proxyBeanMethods = false)
	static class PinnedRandom {

		@Bean
		@Primary
		RolloutDecider pinnedRolloutDecider() {
			return RolloutExpectations.pinnedDecider(random, new AtomicInteger());
		}

	}

	@LocalServerPort
	int port;

	@BeforeEach
	void stubBackends() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("target")));
	}

	@Test
	void stickyByHeaderTwoThousandUsersSplitFiftyFiftyWithinThreePointsAndEachStaysOnItsBackend() {
		List<String> users = keys("user-", 2_000);
		Map<String, String> first = serveAll(users,
				(request, user) -> request.uri("/api/users/cart").header("X-User-Id", user));
		Map<String, String> again = serveAll(users,
				(request, user) -> request.uri("/api/users/profile").header("X-User-Id", user));

		assertThat(targetShare(first)).isBetween(47.0, 53.0);
		assertThat(again).as("the same user asking again").isEqualTo(first);
		assertThat(first).allSatisfy((user, backend) -> assertThat(backend).as(user)
			.isEqualTo(RolloutExpectations.expectedBackend("users", user, FIFTY)));
	}

	@Test
	void stickyByHeaderRequestsWithoutTheKeyAreSplitAtRandom() {
		random.set(new Random(42));
		Map<String, String> served = serveAll(keys("anonymous-", 2_000),
				(request, id) -> request.uri("/api/users/cart?n=" + id));
		assertThat(targetShare(served)).isBetween(47.0, 53.0);
		assertThat(targets(served)).as("one draw per request")
			.isEqualTo(RolloutExpectations.targetsDrawn(new Random(42), 2_000, FIFTY));
	}

	@Test
	void withoutStickyByRequestsSplitNearFiftyPercentWithTheSeededRandom() {
		random.set(new Random(7));
		Map<String, String> served = serveAll(keys("r-", 2_000),
				(request, id) -> request.uri("/api/random/items?n=" + id).header("X-User-Id", id));
		// A key in the request means nothing to a route without stickyBy.
		assertThat(targetShare(served)).isBetween(47.0, 53.0);
		assertThat(targets(served)).as("one draw per request")
			.isEqualTo(RolloutExpectations.targetsDrawn(new Random(7), 2_000, FIFTY));
	}

	@Test
	void stickyByCookiePicksTheBucketAndStays() {
		List<String> sessions = keys("session-", 300);
		Map<String, String> first = serveAll(sessions,
				(request, session) -> request.uri("/api/cookie/a").cookie("session", session));
		Map<String, String> again = serveAll(sessions,
				(request, session) -> request.uri("/api/cookie/b").cookie("other", "x").cookie("session", session));
		assertThat(again).isEqualTo(first);
		assertThat(first).allSatisfy((session, backend) -> assertThat(backend).as(session)
			.isEqualTo(RolloutExpectations.expectedBackend("by-cookie", session, FIFTY)));
		assertThat(first).containsValues("legacy", "target");
	}

	@Test
	void stickyByQueryPicksTheBucketDecodedAndStays() {
		List<String> users = keys("q user ", 300);
		Map<String, String> first = serveAll(users, (request, user) -> request.uri("/api/query/a?user={user}", user));
		Map<String, String> again = serveAll(users,
				(request, user) -> request.uri("/api/query/b?x=1&user={user}", user));
		assertThat(again).isEqualTo(first);
		assertThat(first).allSatisfy((user, backend) -> assertThat(backend).as(user)
			.isEqualTo(RolloutExpectations.expectedBackend("by-query", user, FIFTY)));
		assertThat(first).containsValues("legacy", "target");
	}

	@Test
	void clientIpBehindATrustedProxyTheForwardedClientAddressIsTheKey() {
		List<String> clients = IntStream.range(0, 300)
			.mapToObj((i) -> "198.51." + (100 + i / 250) + "." + (i % 250 + 1))
			.toList();
		Map<String, String> served = serveAll(clients,
				(request, client) -> request.uri("/api/ip/a").header("X-Forwarded-For", client));
		assertThat(served).allSatisfy((client, backend) -> assertThat(backend).as(client)
			.isEqualTo(RolloutExpectations.expectedBackend("by-ip", client, FIFTY)));
		assertThat(served).containsValues("legacy", "target");
	}

	@Test
	void clientIpFromAnUntrustedPeerForwardedForIsIgnoredAndThePeerIsTheKey() {
		WebClient untrusted = client(HttpClient.create().bindAddress(() -> new InetSocketAddress("127.0.0.2", 0)));
		List<String> spoofed = keys("203.0.113.", 50);
		Map<String, String> served = serveAll(untrusted, spoofed,
				(request, client) -> request.uri("/api/ip/a").header("X-Forwarded-For", client));
		assertThat(served.values()).containsOnly(RolloutExpectations.expectedBackend("by-ip", "127.0.0.2", FIFTY));
	}

	@Test
	void forcingWithTheRightTokenTheTargetOfARouteStillInLegacy() {
		assertThat(forced("/api/still-legacy/x", "target", TOKEN)).isEqualTo("target");
		assertThatNoForcingHeaderReachedABackend();
	}

	@Test
	void forcingWithTheRightTokenLegacyForAMigratedRoute() {
		assertThat(forced("/api/done/x", "legacy", TOKEN)).isEqualTo("legacy");
		assertThatNoForcingHeaderReachedABackend();
	}

	@Test
	void forcingWithAWrongTokenIsIgnored() {
		assertThat(forced("/api/still-legacy/x", "target", TOKEN + "x")).isEqualTo("legacy");
		assertThat(forced("/api/done/x", "legacy", "guess")).isEqualTo("target");
		assertThatNoForcingHeaderReachedABackend();
	}

	@Test
	void forcingWithoutTokenIsIgnored() {
		assertThat(forced("/api/still-legacy/x", "target", null)).isEqualTo("legacy");
		assertThatNoForcingHeaderReachedABackend();
	}

	@Test
	void forcingTheTargetOfARouteWithoutOneStaysOnLegacyAndSaysSo() {
		assertThat(forced("/api/no-target/x", "target", TOKEN)).isEqualTo("legacy");
	}

	@Test
	void forcingAnUnclaimedPathStaysOnLegacyWithoutRouteHeaders() {
		ResponseEntity<String> response = client().get()
			.uri("/not-routed")
			.header("X-Strangler-Force-Backend", "target")
			.header("X-Strangler-Force-Token", TOKEN)
			.retrieve()
			.toEntity(String.class)
			.block();
		assertThat(response.getBody()).isEqualTo("legacy");
		assertThat(response.getHeaders().getFirst("X-Strangler-Backend")).isNull();
	}

	/**
	 * Sends a forcing request; returns the backend that served it, after checking the
	 * response header tells the truth about it.
	 */
	private String forced(String path, String backend, String token) {
		ResponseEntity<String> response = client().get().uri(path).headers((headers) -> {
			headers.set("X-Strangler-Force-Backend", backend);
			if (token != null) {
				headers.set("X-Strangler-Force-Token", token);
			}
		}).retrieve().toEntity(String.class).block();
		assertThat(response.getHeaders().getFirst("X-Strangler-Backend")).isEqualTo(response.getBody());
		return response.getBody();
	}

	private void assertThatNoForcingHeaderReachedABackend() {
		List<LoggedRequest> forwarded = new ArrayList<>(legacy.findAll(anyRequestedFor(anyUrl())));
		forwarded.addAll(target.findAll(anyRequestedFor(anyUrl())));
		assertThat(forwarded).isNotEmpty()
			.allSatisfy((request) -> assertThat(request.getAllHeaderKeys())
				.noneMatch((name) -> name.toLowerCase().startsWith("x-strangler-")));
	}

	private WebClient client() {
		return client(HttpClient.create());
	}

	private WebClient client(HttpClient httpClient) {
		return WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.build();
	}

	private Map<String, String> serveAll(List<String> keys,
			BiFunction<WebClient.RequestHeadersUriSpec<?>, String, WebClient.RequestHeadersSpec<?>> request) {
		return serveAll(client(), keys, request);
	}

	/**
	 * Sends one request per key (a few at a time) and returns, per key, the backend that
	 * served it, checking that {@code X-Strangler-Backend} says the same.
	 */
	private static Map<String, String> serveAll(WebClient client, List<String> keys,
			BiFunction<WebClient.RequestHeadersUriSpec<?>, String, WebClient.RequestHeadersSpec<?>> request) {
		return Flux.fromIterable(keys)
			.flatMap((key) -> request.apply(client.get(), key).retrieve().toEntity(String.class).map((response) -> {
				// A fallback is legacy serving a target request, not a routing decision.
				assertThat(response.getHeaders().getFirst("X-Strangler-Fallback")).as(key).isNull();
				assertThat(response.getHeaders().getFirst("X-Strangler-Backend")).as(key).isEqualTo(response.getBody());
				return Map.entry(key, response.getBody());
			}), 8)
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.block();
	}

	private static List<String> keys(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + i).toList();
	}

	private static long targets(Map<String, String> served) {
		return served.values().stream().filter("target"::equals).count();
	}

	private static double targetShare(Map<String, String> served) {
		return 100.0 * targets(served) / served.size();
	}

}
