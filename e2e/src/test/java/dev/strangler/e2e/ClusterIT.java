package dev.strangler.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import dev.strangler.testsupport.RequiresDocker;

/**
 * Two gateway processes on one Redis ({@code strangler.state.store=redis}) in front of
 * the real monolith and catalog-service (docs/deployment.md): overrides made on one are
 * applied by the other within a second, evidence is summed over both and the mismatches
 * one sees are listed by the other, Redis going away stops no traffic, and an instance
 * restarted while Redis is down starts from its snapshot; an automatic rollback on one
 * (its target failing) is applied by the other within a second. The tests run in order:
 * later ones stop Redis.
 */
@EndToEnd
@RequiresDocker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

	private static final String ROUTE = "/actuator/migration/catalog";

	private static final String PRODUCT = "/api/products/1";

	/**
	 * Differs between the monolith and catalog-service: the route compares
	 * {@code generatedAt}, which each stamps with its own clock.
	 */
	private static final String LISTING = "/api/products?page=0&size=2";

	private static final int REDIS_PORT = freePort();

	@SuppressWarnings("resource")
	private static final GenericContainer<?> redis = new GenericContainer<>("redis:7.0")
		.withCommand("redis-server", "--appendonly", "yes", "--appendfsync", "always")
		.withExposedPorts(6379)
		.waitingFor(Wait.forListeningPort())
		.withStartupTimeout(Duration.ofSeconds(60));

	private static AdminGateway a;

	private static AdminGateway b;

	private static URI legacyUri;

	/** What the route files of both instances add to the catalog route. */
	private static final String ROUTE_SETTINGS = """
			    rollout:
			      stickyBy: header:X-User-Id
			    shadow:
			      percent: 100
			      timeout: 10s
			""";

	@BeforeAll
	static void start(E2eEnvironment env) {
		// A fixed host port: the gateways must find Redis at the same address after it
		// is stopped and started again.
		redis.setPortBindings(List.of(REDIS_PORT + ":6379"));
		redis.start();
		E2eEnvironment.Backends backends = env.backends();
		legacyUri = backends.legacy().baseUri();
		String route = GatewaySetup.catalogRoute(GatewaySetup.Stage.SHADOW, legacyUri, backends.catalog().baseUri())
				+ ROUTE_SETTINGS;
		// Noise detection off: one LISTING request must be a mismatch, and a second look
		// at legacy (10 % of mirrored GETs by default) would learn generatedAt as noise
		// and judge it a match.
		String[] args = { "--strangler.state.store=redis", "--spring.data.redis.host=" + redis.getHost(),
				"--spring.data.redis.port=" + REDIS_PORT, "--strangler.state.redis.key-prefix=cluster-it",
				"--strangler.state.redis.timeout=1s", "--strangler.shadow.noise-detection.enabled=false" };
		a = AdminGateway.start("gateway-cluster-a", backends.legacy().baseUri(), Map.of("catalog.yml", route),
				withInstanceId(args, "gateway-a"));
		b = AdminGateway.start("gateway-cluster-b", backends.legacy().baseUri(), Map.of("catalog.yml", route),
				withInstanceId(args, "gateway-b"));
	}

	@AfterAll
	static void stop() {
		for (AdminGateway gateway : new AdminGateway[] { a, b }) {
			if (gateway != null) {
				gateway.close();
			}
		}
		redis.stop();
	}

	@Test
	@Order(1)
	void anOverrideMadeOnAIsAppliedByBWithinOneSecondAndARollbackOnBIsSeenByBoth() {
		a.override("catalog", "{\"stage\":\"canary\",\"percent\":30,\"reason\":\"ramp up on A\"}");
		awaitEffective(b, "canary", 30, Duration.ofSeconds(1));
		assertThat(b.admin(ROUTE).path("audit").get(0).path("reason").asText()).isEqualTo("ramp up on A");

		b.override("catalog", "{\"stage\":\"legacy\",\"reason\":\"roll back on B\"}");
		awaitEffective(a, "legacy", 30, Duration.ofSeconds(1));
		awaitEffective(b, "legacy", 30, Duration.ofSeconds(1));

		clearOverride(a);
		awaitEffective(b, "shadow", 0, Duration.ofSeconds(1));
	}

	@Test
	@Order(2)
	void shadowCountsReadOnEitherInstanceAreTheSumOfTheTrafficSentToBoth() {
		long before = mirrored(a.admin(ROUTE));
		send(a, 6);
		send(b, 4);
		// Each instance flushes its counts to Redis once a second; the comparisons end a
		// little after the responses.
		await("cluster-wide shadow counts on both instances").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> {
				for (AdminGateway gateway : new AdminGateway[] { a, b }) {
					JsonNode detail = gateway.admin(ROUTE);
					assertThat(detail.path("evidence").path("scope").asText()).isEqualTo("cluster");
					assertThat(mirrored(detail)).as("%s: %s", gateway, detail.path("evidence")).isEqualTo(before + 10);
				}
			});
		JsonNode legacy = a.admin(ROUTE).path("evidence").path("requests").path("legacy");
		assertThat(legacy.path("count").asLong()).isGreaterThanOrEqualTo(10);
		assertThat(legacy.path("p99Millis").asDouble()).isPositive();
	}

	@Test
	@Order(3)
	void aMismatchMirroredOnAIsListedInTheDiffsOfBNamingA() {
		HttpResponse<byte[]> response = Http.get(a.uri(LISTING));
		assertThat(response.statusCode()).isEqualTo(200);

		await("A's mismatch in B's diffs").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(b.admin(ROUTE + "/diffs")).as("B's diffs").anySatisfy((diff) -> {
				assertThat(diff.path("pathWithQuery").asText()).isEqualTo(LISTING);
				assertThat(diff.path("instance").asText()).isEqualTo("gateway-a");
				assertThat(diff.path("scope").asText()).isEqualTo("cluster");
			}));
	}

	@Test
	@Order(4)
	void theSameUserLandsOnTheSameBackendOnBothInstancesAtTheSamePercent() {
		a.override("catalog", "{\"stage\":\"canary\",\"percent\":50,\"reason\":\"split\"}");
		awaitEffective(b, "canary", 50, Duration.ofSeconds(1));
		Set<String> backendsSeen = new TreeSet<>();
		for (int user = 1; user <= 40; user++) {
			String onA = backendOf(a, "user-" + user);
			String onB = backendOf(b, "user-" + user);
			assertThat(onB).as("backend of user-%d on B (A chose %s)", user, onA).isEqualTo(onA);
			backendsSeen.add(onA);
		}
		assertThat(backendsSeen).as("40 users at 50 %% reach both backends").containsExactly("legacy", "target");
		clearOverride(a);
		awaitEffective(b, "shadow", 0, Duration.ofSeconds(1));
	}

	@Test
	@Order(5)
	void withRedisStoppedBothKeepServingTheLastStateAndRefuseWritesThenResyncWhenItIsBack() {
		a.override("catalog", "{\"stage\":\"migrated\",\"reason\":\"before the outage\"}");
		awaitEffective(b, "migrated", 0, Duration.ofSeconds(1));
		stopRedis();
		try {
			for (AdminGateway gateway : new AdminGateway[] { a, b }) {
				assertThat(backendOf(gateway, "anyone")).as("%s serves with the last state", gateway)
					.isEqualTo("target");
			}
			HttpResponse<byte[]> refused = a.adminCall("POST", ROUTE,
					"{\"stage\":\"legacy\",\"reason\":\"during the outage\"}");
			assertThat(refused.statusCode()).as(AdminGateway.text(refused)).isEqualTo(503);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(AdminGateway.text(refused)).contains("shared state store is unavailable");
			assertThat(b.admin(ROUTE).path("evidence").path("scope").asText())
				.as("figures while Redis is down are the instance's own")
				.isEqualTo("instance");
		}
		finally {
			startRedis();
		}
		// Writes work again once the client has reconnected (Lettuce backs off up to 30 s
		// between attempts); nothing written before is lost.
		await("admin writes work again").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> b.adminCall("POST", ROUTE, "{\"percent\":5,\"reason\":\"after the outage\"}")
				.statusCode() == 200);
		await("A resyncs").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(a.admin(ROUTE).path("override").path("reason").asText())
				.isEqualTo("after the outage"));
		assertThat(a.admin(ROUTE).path("effective").path("stage").asText()).as("nothing lost").isEqualTo("migrated");
	}

	@Test
	@Order(6)
	void bRestartedWhileRedisIsDownStartsFromItsSnapshot() throws IOException {
		a.override("catalog", "{\"stage\":\"canary\",\"percent\":100,\"reason\":\"all on target\"}");
		awaitEffective(b, "canary", 100, Duration.ofSeconds(1));
		stopRedis();
		try {
			b = b.restart();
			assertThat(b.admin(ROUTE).path("effective").path("stage").asText()).isEqualTo("canary");
			assertThat(backendOf(b, "anyone")).as("B serves from its snapshot").isEqualTo("target");
			assertThat(Files.readString(b.process().log())).contains("starts from its local snapshot");
		}
		finally {
			startRedis();
		}
		await("admin writes work again").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> a.adminCall("DELETE", ROUTE, null).statusCode() == 200);
		awaitEffective(b, "shadow", 0, Duration.ofSeconds(60));
	}

	@Test
	@Order(7)
	void anAutomaticRollbackOnAIsAppliedByBWithinOneSecond() {
		// Only A's target fails: A's route file now names a port nobody listens on (the
		// reload reaches B, which reloads its own, unchanged, files).
		a.rewriteRoutes("catalog.yml", GatewaySetup.catalogRoute(GatewaySetup.Stage.SHADOW, legacyUri,
				URI.create("http://127.0.0.1:" + freePort())) + ROUTE_SETTINGS + """
						    resilience:
						      fallbackToLegacy: true
						""");
		a.override("catalog", "{\"stage\":\"canary\",\"percent\":100,\"reason\":\"all on target\"}");
		awaitEffective(b, "canary", 100, Duration.ofSeconds(1));
		assertThat(backendOf(b, "anyone")).as("B's target is healthy").isEqualTo("target");

		int sent = 0;
		while (!"target circuit open".equals(a.admin(ROUTE).path("override").path("reason").asText())) {
			assertThat(sent).as("requests to A before its target circuit opens").isLessThan(200);
			HttpResponse<byte[]> response = Http.get(a.uri(PRODUCT));
			assertThat(response.statusCode()).as("A falls back to legacy").isEqualTo(200);
			sent++;
		}
		awaitEffective(b, "legacy", 0, Duration.ofSeconds(1));
		assertThat(b.admin(ROUTE).path("override").path("who").asText()).isEqualTo("auto-rollback");
		assertThat(backendOf(b, "anyone")).as("B routes to legacy too").isEqualTo("legacy");
	}

	private static void awaitEffective(AdminGateway gateway, String stage, int percent, Duration within) {
		await(gateway + " applies " + stage + " " + percent + " %").atMost(within)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> {
				JsonNode effective = gateway.admin(ROUTE).path("effective");
				assertThat(effective.path("stage").asText()).isEqualTo(stage);
				if ("canary".equals(stage)) {
					assertThat(effective.path("percent").asInt()).isEqualTo(percent);
				}
			});
	}

	private static void clearOverride(AdminGateway gateway) {
		HttpResponse<byte[]> response = gateway.adminCall("DELETE", ROUTE, null);
		assertThat(response.statusCode()).as(AdminGateway.text(response)).isEqualTo(200);
	}

	private static String[] withInstanceId(String[] args, String instanceId) {
		String[] all = Arrays.copyOf(args, args.length + 1);
		all[args.length] = "--strangler.evidence.instance-id=" + instanceId;
		return all;
	}

	/** Every mirror the cluster-wide evidence counted, whatever its result. */
	private static long mirrored(JsonNode detail) {
		JsonNode shadow = detail.path("evidence").path("shadow");
		return shadow.path("compared").asLong() + shadow.path("error").asLong() + shadow.path("skipped").asLong()
				+ shadow.path("dropped").asLong();
	}

	private static void send(AdminGateway gateway, int requests) {
		for (int i = 0; i < requests; i++) {
			HttpResponse<byte[]> response = Http.get(gateway.uri(PRODUCT));
			assertThat(response.statusCode()).isEqualTo(200);
		}
	}

	private static String backendOf(AdminGateway gateway, String user) {
		HttpResponse<byte[]> response = Http
			.exchange(Http.request(gateway.uri(PRODUCT)).header("X-User-Id", user).GET().build());
		assertThat(response.statusCode()).as("%s for %s", gateway, user).isEqualTo(200);
		return response.headers().firstValue("X-Strangler-Backend").orElseThrow();
	}

	private static void stopRedis() {
		redis.getDockerClient().stopContainerCmd(redis.getContainerId()).exec();
	}

	private static void startRedis() {
		redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
		Awaitility.await("Redis answers after its restart").atMost(Duration.ofSeconds(30)).until(() -> {
			try {
				return "PONG".equals(redis.execInContainer("redis-cli", "PING").getStdout().trim());
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
