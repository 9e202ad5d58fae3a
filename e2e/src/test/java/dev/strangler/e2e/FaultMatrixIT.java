package dev.strangler.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import dev.strangler.gateway.rollout.RolloutBucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import dev.strangler.testsupport.Ports;

/**
 * The fault matrix on a real gateway process: for every backend fault, stage and method,
 * the client gets what {@link FaultMatrix} says, the backends receive what it says (so
 * nothing is re-sent that must not be), and a shadow's fault is invisible. The faults are
 * played by {@link FaultServer}s; every cell has a path of its own, so counts never mix.
 */
@EndToEnd
class FaultMatrixIT {

	/** The target's timeout in every route: {@link FaultServer#DELAY} is well past it. */
	private static final String TARGET_TIMEOUT = "1s";

	/**
	 * Spring Cloud Gateway's response timeout: bounds every legacy call in the matrix.
	 */
	private static final String RESPONSE_TIMEOUT = "2s";

	/**
	 * How long a client waits for a whole answer: past every timeout of the matrix, so an
	 * answer not over by then hangs.
	 */
	private static final Duration ANSWER_LIMIT = Duration.ofSeconds(10);

	private static FaultServer target;

	/** Answers every request with a 200: legacy for the target-fault settings. */
	private static FaultServer legacy;

	/** Plays faults: the monolith of the monolith-fault settings. */
	private static FaultServer faultyLegacy;

	private static AdminGateway gateway;

	/** A gateway whose monolith refuses connections: the unrouted path's refused cell. */
	private static AdminGateway gatewayWithoutMonolith;

	/**
	 * A user whose sticky bucket puts them on the target of both canary routes at 50 %.
	 */
	private static String canaryUser;

	@BeforeAll
	static void start() {
		target = FaultServer.start("target");
		legacy = FaultServer.startHealthy("legacy");
		faultyLegacy = FaultServer.start("legacy");
		URI closed = URI.create("http://127.0.0.1:" + Ports.closed());
		canaryUser = IntStream.range(0, 1000)
			.mapToObj((i) -> "user-" + i)
			.filter((user) -> onTarget("canary", user) && onTarget("canary-refused", user))
			.findFirst()
			.orElseThrow();
		String routes = "routes:\n" + targetRoutes("shadow", "stage: shadow\n    shadow:\n      percent: 100", closed)
				+ targetRoutes("canary",
						"stage: canary\n    rollout:\n      percent: 50\n      stickyBy: header:X-User-Id\n    shadow:\n      percent: 0",
						closed)
				+ targetRoutes("migrated", "stage: migrated", closed)
				+ targetRoutes("migrated-nofallback", "stage: migrated", closed).replace("fallbackToLegacy: true",
						"fallbackToLegacy: false")
				+ legacyRoute("legacy", faultyLegacy.baseUri()) + legacyRoute("legacy-refused", closed);
		String[] args = { "--spring.cloud.gateway.server.webflux.httpclient.response-timeout=" + RESPONSE_TIMEOUT,
				// Noise detection asks legacy a sampled second time: counts would be
				// random.
				"--strangler.shadow.noise-detection.enabled=false",
				// The matrix is about single faults: no circuit may open between its
				// cells.
				"--resilience4j.circuitbreaker.configs.default.sliding-window-size=1000",
				"--resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000" };
		gateway = AdminGateway.start("gateway-fault-matrix", faultyLegacy.baseUri(), Map.of("matrix.yml", routes),
				args);
		gatewayWithoutMonolith = AdminGateway.startWithoutMonolith("gateway-fault-matrix-no-monolith", closed, Map.of(),
				args);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { gateway, gatewayWithoutMonolith, target, legacy,
				faultyLegacy }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// Stopping anyway.
			}
		}
	}

	static List<FaultMatrix.Cell> cells() {
		return FaultMatrix.cells();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cells")
	void clientAndBackendsSeeWhatTheMatrixSays(FaultMatrix.Cell cell) {
		FaultMatrix.Expectation expected = FaultMatrix.expected(cell);
		Received received = send(cell);
		assertThat(received.hung()).as("the answer was complete, or broke off, within %s", ANSWER_LIMIT).isFalse();

		switch (expected.answer()) {
			case LEGACY_OK -> {
				assertThat(received.status()).as("status").isEqualTo(200);
				assertThat(received.body()).as("body").isEqualTo("{\"from\":\"legacy\"}");
			}
			case TARGET_OK -> {
				assertThat(received.status()).as("status").isEqualTo(200);
				assertThat(received.body()).as("body").isEqualTo("{\"from\":\"target\"}");
			}
			case BACKEND_5XX -> {
				int status = (cell.fault() == Fault.STATUS_500) ? 500 : 503;
				assertThat(received.status()).as("status").isEqualTo(status);
				assertThat(received.body()).as("body").contains("\"error\":" + status);
			}
			case PROBLEM_502, PROBLEM_504 -> {
				assertThat(received.status()).as("status")
					.isEqualTo((expected.answer() == FaultMatrix.Answer.PROBLEM_502) ? 502 : 504);
				assertThat(received.contentType()).as("content type").startsWith("application/problem+json");
			}
			case BROKEN -> assertThat(received.broken()).as("the answer broke off: %s", received).isTrue();
		}
		if (received.headers() != null) {
			assertThat(received.header("X-Strangler-Backend")).as("X-Strangler-Backend").isEqualTo(expected.servedBy());
			assertThat(received.header("X-Strangler-Fallback")).as("X-Strangler-Fallback")
				.isEqualTo(expected.fallbackReason());
		}

		FaultServer monolith = cell.setting().targetFaults() ? legacy : faultyLegacy;
		String path = cell.path();
		// A mirror is sent after the client's answer: wait for it, then check nothing
		// more came.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(target.received(cell.method(), path)).as("target received")
				.isEqualTo(expected.targetCalls()));
		assertThat(monolith.received(cell.method(), path)).as("monolith received").isEqualTo(expected.legacyCalls());
	}

	private static Received send(FaultMatrix.Cell cell) {
		boolean refusedMonolith = cell.setting() == FaultMatrix.Setting.UNROUTED
				&& cell.fault() == Fault.CONNECTION_REFUSED;
		URI uri = (refusedMonolith ? gatewayWithoutMonolith : gateway).uri(cell.path());
		HttpRequest.Builder request = Http.request(uri).header("X-User-Id", canaryUser);
		if (cell.method().equals("POST")) {
			request.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"order\":1}", StandardCharsets.UTF_8));
		}
		try {
			HttpResponse<byte[]> response = Http.sendWithin(request.build(), ANSWER_LIMIT);
			return new Received(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8),
					response.headers().map(), false, false);
		}
		catch (IOException ex) {
			// Java's client reports a body cut off (or a chunked body gone wrong) as an
			// IOException: the status line had arrived, the body never ended.
			return new Received(0, "", null, true, false);
		}
		catch (TimeoutException ex) {
			return new Received(0, "", null, false, true);
		}
	}

	private static boolean onTarget(String route, String user) {
		return RolloutBucket.of(route, user).value() < 5_000;
	}

	/**
	 * Two routes for one target-fault setting: one to the fault server, one to a port
	 * where nothing listens.
	 */
	private static String targetRoutes(String id, String stage, URI closed) {
		return targetRoute(id, stage, target.baseUri()) + targetRoute(id + "-refused", stage, closed);
	}

	private static String targetRoute(String id, String stage, URI targetUri) {
		return """
				  - id: %s
				    match:
				      paths: [/%s/**]
				    legacy: %s
				    target: %s
				    %s
				    resilience:
				      timeout: %s
				      fallbackToLegacy: true
				""".formatted(id, id, legacy.baseUri(), targetUri, stage, TARGET_TIMEOUT);
	}

	private static String legacyRoute(String id, URI monolith) {
		return """
				  - id: %s
				    match:
				      paths: [/%s/**]
				    legacy: %s
				    target: %s
				    stage: legacy
				""".formatted(id, id, monolith, target.baseUri());
	}

	/**
	 * What the client received; {@code broken} when the answer broke off.
	 */
	private record Received(int status, String body, Map<String, List<String>> headers, boolean broken, boolean hung) {

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

		String contentType() {
			String type = header("Content-Type");
			return (type != null) ? type : "";
		}

	}

}
