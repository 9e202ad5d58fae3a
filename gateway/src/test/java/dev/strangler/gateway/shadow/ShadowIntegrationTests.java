package dev.strangler.gateway.shadow;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.support.RawHttpConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import dev.strangler.testsupport.Ports;

/**
 * The shadow path over real HTTP, with WireMock as legacy and target (routes in
 * {@code routes/shadow/routes.yml}): what is mirrored, how, and that nothing the target
 * does reaches or slows the client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/shadow/", "strangler.shadow.max-in-flight=4",
				"strangler.shadow.max-body=64KB", "strangler.shadow.noise-detection.sample-percent=0",
				"management.tracing.sampling.probability=1.0", "logging.level.dev.strangler.gateway.shadow=DEBUG" })
@AutoConfigureObservability
class ShadowIntegrationTests {

	private static final String LEGACY_BODY = "{\"id\":1,\"name\":\"Lamp\",\"price\":10}";

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(40))
		.build();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
		registry.add("test.dead-url", () -> "http://127.0.0.1:" + Ports.closed());
	}

	@LocalServerPort
	int port;

	@Autowired
	ShadowReports reports;

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
		legacy.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(LEGACY_BODY)));
		target.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(LEGACY_BODY)));
		target.stubFor(any(urlPathMatching("/api/hang/.*"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(10_000).withBody(LEGACY_BODY)));
		target.stubFor(any(urlPathMatching("/api/reset/.*"))
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
	}

	/** Every test starts with no mirror of an earlier one still holding a permit. */
	@AfterEach
	void awaitMirrorsDone() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.limiter.inFlight() == 0);
	}

	@Test
	void mirroredGetCarriesTheShadowHeaderAndTheClientsTrace() {
		this.client.get()
			.uri("/api/products/1?view=full")
			.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
			.header("X-Custom", "kept")
			.header("Connection", "keep-alive, X-Hop")
			.header("X-Hop", "not forwarded")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(LEGACY_BODY);

		LoggedRequest mirrored = awaitOneRequest(target, "/api/products/1?view=full");
		assertThat(mirrored.getMethod().getName()).isEqualTo("GET");
		assertThat(mirrored.getHeader("X-Strangler-Shadow")).isEqualTo("true");
		assertThat(mirrored.getHeader("X-Custom")).isEqualTo("kept");
		assertThat(mirrored.containsHeader("X-Hop")).isFalse();
		// the same trace, but the mirror's own span as parent
		assertThat(mirrored.getHeader("traceparent")).startsWith("00-" + TRACE_ID + "-")
			.doesNotContain("00f067aa0ba902b7");
		legacy.verify(getRequestedFor(urlEqualTo("/api/products/1?view=full")).withoutHeader("X-Strangler-Shadow"));
	}

	@Test
	void anUnsampledRequestsMirrorCarriesItsTraceUnsampledLikeLegacysCall() {
		this.client.get()
			.uri("/api/products/3?view=unsampled")
			.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-00")
			.exchange()
			.expectStatus()
			.isOk();

		LoggedRequest mirrored = awaitOneRequest(target, "/api/products/3?view=unsampled");
		LoggedRequest original = legacy.findAll(getRequestedFor(urlEqualTo("/api/products/3?view=unsampled"))).get(0);
		// the gateway's part of the trace is the parent of both calls, marked not sampled
		assertThat(mirrored.getHeader("traceparent")).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-00")
			.doesNotContain("00f067aa0ba902b7")
			.isEqualTo(original.getHeader("traceparent"));
	}

	@Test
	void mirrorIsSentOnlyAfterLegacyHasAnsweredTheClient() {
		legacy.stubFor(get(urlEqualTo("/api/products/slow")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody(LEGACY_BODY)
			.withFixedDelay(500)));

		this.client.get().uri("/api/products/slow").exchange().expectStatus().isOk();

		LoggedRequest mirrored = awaitOneRequest(target, "/api/products/slow");
		LoggedRequest original = legacy.findAll(getRequestedFor(urlEqualTo("/api/products/slow"))).get(0);
		// legacy answers 500 ms after it got the client's request; the mirror leaves
		// after
		assertThat(mirrored.getLoggedDate().getTime()).as("target got the mirror at")
			.isGreaterThanOrEqualTo(original.getLoggedDate().getTime() + 500);
	}

	@Test
	void clientCannotForgeTheShadowHeaderTowardsLegacy() {
		this.client.get().uri("/api/products/2").header("X-Strangler-Shadow", "true").exchange().expectStatus().isOk();
		legacy.verify(getRequestedFor(urlEqualTo("/api/products/2")).withoutHeader("X-Strangler-Shadow"));
		awaitOneRequest(target, "/api/products/2");
	}

	@Test
	void postIsNotMirroredUnlessTheRouteListsIt() {
		long skippedBefore = stats("shadow-cart").skipped();
		this.client.post()
			.uri("/api/cart/items")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"sku\":\"A-1\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(LEGACY_BODY);
		legacy.verify(postRequestedFor(urlEqualTo("/api/cart/items")));
		assertThat(target.getAllServeEvents()).isEmpty();
		assertThat(stats("shadow-cart").skipped()).isEqualTo(skippedBefore);
	}

	@Test
	void listedPostIsMirroredWithItsBody() {
		this.client.post()
			.uri("/api/orders/7/lines")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"sku\":\"A-1\",\"qty\":2}")
			.exchange()
			.expectStatus()
			.isOk();
		LoggedRequest mirrored = awaitOneRequest(target, "/api/orders/7/lines");
		assertThat(mirrored.getMethod().getName()).isEqualTo("POST");
		assertThat(mirrored.getBodyAsString()).isEqualTo("{\"sku\":\"A-1\",\"qty\":2}");
		assertThat(mirrored.getHeader("X-Strangler-Shadow")).isEqualTo("true");
		assertThat(mirrored.getHeader("Content-Type")).isEqualTo("application/json");
	}

	@Test
	void routesInLegacyStageOrAtZeroPercentAreNotMirrored() {
		this.client.get().uri("/api/legacy/1").exchange().expectStatus().isOk();
		this.client.get().uri("/api/unsampled/1").exchange().expectStatus().isOk();
		legacy.verify(2, anyRequestedFor(anyUrl()));
		assertThat(target.getAllServeEvents()).isEmpty();
	}

	@Test
	void bodyOverMaxBodyIsNotMirroredButReachesLegacyWhole() {
		byte[] body = bytes(200 * 1024);
		long skippedBefore = stats("shadow-orders").skipped();
		this.client.post()
			.uri("/api/orders/big")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();
		legacy.verify(postRequestedFor(urlEqualTo("/api/orders/big")).withRequestBody(binaryEqualTo(body)));
		assertThat(stats("shadow-orders").skipped()).isEqualTo(skippedBefore + 1);
		assertThat(comparisons("shadow-orders", "skipped")).isEqualTo(skippedBefore + 1);
		assertThat(target.getAllServeEvents()).isEmpty();
	}

	@Test
	void chunkedBodyOverMaxBodyIsSkippedOnceItOutgrowsTheLimit() {
		byte[] body = bytes(200 * 1024);
		long skippedBefore = stats("shadow-orders").skipped();
		// no Content-Length: the limit is found while the body streams to legacy
		this.client.post()
			.uri("/api/orders/chunked")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(chunks(body, 8 * 1024), DataBuffer.class)
			.exchange()
			.expectStatus()
			.isOk();
		legacy.verify(postRequestedFor(urlEqualTo("/api/orders/chunked")).withRequestBody(binaryEqualTo(body)));
		await().until(() -> stats("shadow-orders").skipped() == skippedBefore + 1);
		assertThat(target.getAllServeEvents()).isEmpty();
	}

	@Test
	void mirrorsBeyondMaxInFlightAreDroppedAndCounted() {
		long droppedBefore = stats("shadow-hang").dropped();
		for (int i = 0; i < 6; i++) {
			this.client.get()
				.uri("/api/hang/" + i)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.isEqualTo(LEGACY_BODY);
		}
		// four permits held by hanging mirrors, the last two found none
		assertThat(stats("shadow-hang").dropped()).isEqualTo(droppedBefore + 2);
		assertThat(this.meters.counter("strangler.shadow.dropped", "route", "shadow-hang").count())
			.isEqualTo(droppedBefore + 2);
		await().until(() -> target.getAllServeEvents().size() == 4);
	}

	@Test
	void hangingTargetNeverDelaysTheClientAndEndsAsAnError() {
		long errorsBefore = stats("shadow-hang").error();
		this.client.get()
			.uri("/api/hang/1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(LEGACY_BODY);
		// the client is done while the mirror is still waiting for the target
		assertThat(this.limiter.inFlight()).isEqualTo(1);
		assertThat(stats("shadow-hang").error()).isEqualTo(errorsBefore);
		await().atMost(Duration.ofSeconds(10)).until(() -> stats("shadow-hang").error() == errorsBefore + 1);
		assertThat(comparisons("shadow-hang", "error")).isEqualTo(errorsBefore + 1);
	}

	@Test
	void targetResettingTheConnectionNeverReachesTheClient() {
		long errorsBefore = stats("shadow-reset").error();
		this.client.get()
			.uri("/api/reset/1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(LEGACY_BODY);
		await().until(() -> stats("shadow-reset").error() == errorsBefore + 1);
	}

	@Test
	void targetThatIsDownNeverReachesTheClient() {
		long errorsBefore = stats("shadow-down").error();
		legacy.stubFor(get(urlEqualTo("/api/down/1")).willReturn(aResponse().withStatus(404).withBody("gone")));
		this.client.get()
			.uri("/api/down/1")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.isEqualTo("gone");
		await().until(() -> stats("shadow-down").error() == errorsBefore + 1);
	}

	@Test
	void slowMirrorNeverStallsTheNextRequestOnTheSameConnection() throws IOException {
		ShadowStats before = stats("shadow-hang");
		try (RawHttpConnection connection = new RawHttpConnection(this.port, Duration.ofSeconds(5))) {
			connection.send(RawHttpConnection.get("/api/hang/first"));
			assertThat(connection.readResponse().body()).isEqualTo(LEGACY_BODY);
			connection.send(RawHttpConnection.get("/api/products/1"));
			assertThat(connection.readResponse().body()).isEqualTo(LEGACY_BODY);
		}
		// both answered on one connection while the first mirror still hangs
		assertThat(stats("shadow-hang").error()).isEqualTo(before.error());
		assertThat(this.limiter.inFlight()).isPositive();
	}

	@Test
	void largeBodyStreamsToLegacyWhileItsMirrorHangs() {
		byte[] body = bytes(48 * 1024);
		this.client.post()
			.uri("/api/hang/upload")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(chunks(body, 4 * 1024), DataBuffer.class)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(LEGACY_BODY);
		legacy.verify(postRequestedFor(urlEqualTo("/api/hang/upload")).withRequestBody(binaryEqualTo(body)));
		assertThat(this.limiter.inFlight()).isEqualTo(1);
		LoggedRequest mirrored = awaitOneRequest(target, "/api/hang/upload");
		assertThat(mirrored.getBody()).isEqualTo(body);
	}

	@Test
	void equalResponsesCountAsMatches() {
		long matchesBefore = stats("shadow-catalog").match();
		this.client.get().uri("/api/products/3").exchange().expectStatus().isOk();
		await().until(() -> stats("shadow-catalog").match() == matchesBefore + 1);
		assertThat(comparisons("shadow-catalog", "match")).isEqualTo(matchesBefore + 1);
	}

	@Test
	void changedFieldShowsInTheDiffsWithPathAndBothValues() {
		target.stubFor(get(urlEqualTo("/api/products/9?currency=EUR")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":1,\"name\":\"Lamp\",\"price\":\"10\"}")));
		long mismatchesBefore = stats("shadow-catalog").mismatch();
		this.client.get()
			.uri("/api/products/9?currency=EUR")
			.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(LEGACY_BODY);
		await().until(() -> stats("shadow-catalog").mismatch() == mismatchesBefore + 1);

		List<DiffRecord> diffs = this.reports.diffs("shadow-catalog");
		DiffRecord record = diffs.get(0);
		assertThat(record.method()).isEqualTo("GET");
		assertThat(record.pathWithQuery()).isEqualTo("/api/products/9?currency=EUR");
		assertThat(record.legacyStatus()).isEqualTo(200);
		assertThat(record.targetStatus()).isEqualTo(200);
		assertThat(record.traceId()).isEqualTo(TRACE_ID);
		assertThat(record.differences()).extracting(Difference::path, Difference::legacyValue, Difference::targetValue)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("$.price", "10", "\"10\""));
		ShadowStats stats = stats("shadow-catalog");
		assertThat(stats.topDifferingPaths()).extracting(ShadowStats.PathCount::path).contains("$.price");
		assertThat(stats.mismatchRate()).isPositive();
	}

	@Test
	void differentStatusIsAMismatch() {
		target.stubFor(get(urlEqualTo("/api/products/404")).willReturn(aResponse().withStatus(404)));
		long mismatchesBefore = stats("shadow-catalog").mismatch();
		this.client.get().uri("/api/products/404").exchange().expectStatus().isOk();
		await().until(() -> stats("shadow-catalog").mismatch() == mismatchesBefore + 1);
		List<DiffRecord> diffs = this.reports.diffs("shadow-catalog");
		assertThat(diffs.get(0).targetStatus()).isEqualTo(404);
	}

	private ShadowStats stats(String routeId) {
		return this.reports.stats(routeId);
	}

	private long comparisons(String routeId, String result) {
		return (long) this.meters.counter("strangler.shadow.comparisons", "route", routeId, "result", result).count();
	}

	/**
	 * Waits for the mirror to arrive, then checks it arrived once. A timeout names what
	 * the server did receive and how the gateway counted its mirrors, so that a failure
	 * tells a dropped, skipped or failed mirror from one sent elsewhere.
	 */
	private LoggedRequest awaitOneRequest(WireMockExtension server, String url) {
		try {
			await().until(() -> !server.findAll(anyRequestedFor(urlEqualTo(url))).isEmpty());
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(
					"No request for " + url + "; received: " + received(server) + "; " + this.limiter + "; stats: "
							+ Stream.of("shadow-catalog", "shadow-orders", "shadow-hang")
								.map((route) -> route + "=" + stats(route))
								.toList(),
					ex);
		}
		List<LoggedRequest> requests = server.findAll(anyRequestedFor(urlEqualTo(url)));
		assertThat(requests).as("requests for %s", url).hasSize(1);
		return requests.get(0);
	}

	private static List<String> received(WireMockExtension server) {
		return server.getAllServeEvents()
			.stream()
			.map((event) -> event.getRequest().getMethod() + " " + event.getRequest().getUrl())
			.toList();
	}

	private static byte[] bytes(int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) ('a' + (i % 26));
		}
		return bytes;
	}

	private static Flux<DataBuffer> chunks(byte[] body, int chunkSize) {
		return Flux.range(0, (body.length + chunkSize - 1) / chunkSize)
			.map((i) -> DefaultDataBufferFactory.sharedInstance
				.wrap(Arrays.copyOfRange(body, i * chunkSize, Math.min(body.length, (i + 1) * chunkSize))));
	}

}
