package dev.strangler.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The catalog route in {@code canary} at 50 % when its catalog-service dies mid-stream:
 * no client request fails (the gateway falls back to the monolith), and the open target
 * circuit rolls the route back to legacy with an audited override.
 */
@EndToEnd
class CanaryKillIT {

	private static final int CLIENTS = 2;

	private static final int REQUESTS_PER_CLIENT = 500;

	/** The catalog-service is stopped once this many requests were answered. */
	private static final int KILL_AFTER = 300;

	private static final JsonComparison PARITY = JsonComparison.ignoring("generatedAt");

	private static AppProcess legacy;

	/** A catalog-service of this class's own: the shared one must outlive this test. */
	private static AppProcess catalog;

	private static AdminGateway gateway;

	private static final Map<String, byte[]> expected = new LinkedHashMap<>();

	@BeforeAll
	static void start(E2eEnvironment env) {
		legacy = env.legacy();
		catalog = AppProcess.builder("catalog-canary-kill", E2eEnvironment.catalogJar()).start();
		catalog.awaitHealthy();
		// path(i) repeats every 100 requests.
		for (int i = 0; i < 100; i++) {
			String path = path(i);
			expected.computeIfAbsent(path, (key) -> Http.get(legacy.uri(key)).body());
		}
		String route = GatewaySetup.catalogRoute(GatewaySetup.Stage.CANARY, legacy.baseUri(), catalog.baseUri()) + """
				    rollout:
				      percent: 50
				      stickyBy: header:X-User-Id
				    resilience:
				      timeout: 5s
				      openStateWait: 10s
				      fallbackToLegacy: true
				""";
		gateway = AdminGateway.start("gateway-canary-kill", legacy.baseUri(), Map.of("catalog.yml", route));
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		if (catalog != null) {
			catalog.close();
		}
	}

	@Test
	void killingTheCanaryTargetFailsNoRequestAndRollsTheRouteBack() throws Exception {
		AtomicInteger done = new AtomicInteger();
		ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> running = new ArrayList<>();
		AtomicInteger killedAt = new AtomicInteger(-1);
		try {
			for (int client = 0; client < CLIENTS; client++) {
				int id = client;
				running.add(clients.submit(() -> {
					for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
						outcomes.add(send("user-" + id + "-" + i, path(i), killedAt.get() >= 0));
						done.incrementAndGet();
					}
				}));
			}
			await("requests before the kill").atMost(Duration.ofMinutes(3)).until(() -> done.get() >= KILL_AFTER);
			killedAt.set(done.get());
			catalog.close();
			assertThat(catalog.isAlive()).isFalse();
			for (Future<?> future : running) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			clients.shutdownNow();
		}

		List<Outcome> all = List.copyOf(outcomes);
		long beforeKillTarget = all.stream().filter((o) -> !o.afterKill() && "target".equals(o.backend())).count();
		long afterKillTarget = all.stream().filter((o) -> o.afterKill() && "target".equals(o.backend())).count();
		System.out.printf("CanaryKillIT: %d requests, killed after %d; target served %d before, %d after%n", all.size(),
				killedAt.get(), beforeKillTarget, afterKillTarget);
		assertThat(all).hasSize(CLIENTS * REQUESTS_PER_CLIENT);
		assertThat(all).as("failed or differing answers").filteredOn((outcome) -> outcome.problem() != null).isEmpty();
		assertThat(beforeKillTarget).as("canary answers before the kill").isPositive();

		await("automatic rollback").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> {
				JsonNode route = gateway.admin("/actuator/migration/catalog");
				assertThat(route.path("override").path("reason").asText()).as("%s", route)
					.isEqualTo("target circuit open");
			});
		JsonNode route = gateway.admin("/actuator/migration/catalog");
		assertThat(route.path("override").path("stage").asText()).isEqualTo("legacy");
		assertThat(route.path("effective").path("stage").asText()).isEqualTo("legacy");
		assertThat(route.path("configured").path("stage").asText()).isEqualTo("canary");
		List<String> audit = new ArrayList<>();
		route.path("audit")
			.forEach((entry) -> audit.add(entry.path("action").asText() + "|" + entry.path("who").asText() + "|"
					+ entry.path("reason").asText()));
		assertThat(audit).as("audit trail").contains("auto|auto-rollback|target circuit open");

		HttpResponse<byte[]> after = Http.get(gateway.uri("/api/products/1"));
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(after.headers().firstValue("X-Strangler-Backend")).hasValue("legacy");
	}

	private static String path(int i) {
		return (i % 4 == 0) ? "/api/products?page=" + (i % 5) + "&size=10" : "/api/products/" + (1 + i % 50);
	}

	private static Outcome send(String user, String path, boolean afterKill) {
		try {
			HttpResponse<byte[]> response = Http
				.send(Http.request(gateway.uri(path)).header("X-User-Id", user).GET().build());
			String backend = response.headers().firstValue("X-Strangler-Backend").orElse("none");
			if (response.statusCode() != 200) {
				return new Outcome(afterKill, backend, path + ": status " + response.statusCode() + " from " + backend
						+ ": " + AdminGateway.text(response));
			}
			String problem = PARITY.difference(expected.get(path), response.body())
				.map((difference) -> path + " from " + backend + ": " + difference)
				.orElse(null);
			return new Outcome(afterKill, backend, problem);
		}
		catch (Exception ex) {
			return new Outcome(afterKill, "none", path + ": " + ex);
		}
	}

	private record Outcome(boolean afterKill, String backend, String problem) {

	}

}
