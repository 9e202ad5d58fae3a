package dev.strangler.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.strangler.e2e.E2eEnvironment.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The catalog route is switched legacy → canary 50 % → migrated through the admin API
 * while a bounded stream of requests flows: no request fails, and each phase is served as
 * its stage says (canary within a few points of its percent).
 */
@EndToEnd
class StageSwitchUnderLoadIT {

	private static final String PASSWORD = "e2e-admin";

	private static final int CLIENTS = 4;

	private static final int REQUESTS_PER_CLIENT = 600;

	/** Switch to canary after this many requests, to migrated this many later. */
	private static final int SWITCH_EVERY = 700;

	/** Percentage points the canary share may differ from 50 %. */
	private static final double TOLERANCE = 6;

	private static AppProcess gateway;

	@BeforeAll
	static void start(E2eEnvironment env) {
		Backends backends = env.backends();
		String name = "gateway-stage-switch";
		String route = GatewaySetup.catalogRoute(GatewaySetup.Stage.LEGACY, backends.legacy().baseUri(),
				backends.catalog().baseUri()) + """
						    rollout:
						      stickyBy: header:X-User-Id
						""";
		Path routes = new GatewaySetup(name, backends.legacy().baseUri(), Map.of("catalog.yml", route))
			.writeRoutes(E2eDirectories.routes(name));
		// A gateway of its own: the admin API needs a password, and the overrides set
		// here
		// must not leak into gateways other classes share.
		gateway = AppProcess.builder(name, gatewayJar())
			.separateManagementPort()
			.env("STRANGLER_ADMIN_PASSWORD", PASSWORD)
			.arg("--strangler.legacy.url=" + backends.legacy().baseUri())
			.arg("--strangler.routes.location=file:" + routes.toAbsolutePath() + "/")
			.arg("--strangler.state.dir=" + E2eDirectories.work(name).resolve("state"))
			.start();
		gateway.awaitHealthy();
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void switchingStagesUnderLoadFailsNoRequestAndSplitsAsConfigured() throws Exception {
		AtomicInteger phase = new AtomicInteger(Phase.LEGACY.ordinal());
		AtomicInteger done = new AtomicInteger();
		ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> running = new ArrayList<>();
		try {
			for (int client = 0; client < CLIENTS; client++) {
				int id = client;
				running.add(clients.submit(() -> {
					for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
						outcomes.add(send(phase, "user-" + id + "-" + i, i));
						done.incrementAndGet();
					}
				}));
			}
			await().atMost(Duration.ofMinutes(3)).until(() -> done.get() >= SWITCH_EVERY);
			phase.set(Phase.SWITCHING.ordinal());
			setOverride("{\"stage\":\"canary\",\"percent\":50,\"reason\":\"e2e ramp\"}");
			int canaryFrom = done.get();
			phase.set(Phase.CANARY.ordinal());
			await().atMost(Duration.ofMinutes(3)).until(() -> done.get() >= canaryFrom + SWITCH_EVERY);
			phase.set(Phase.SWITCHING.ordinal());
			setOverride("{\"stage\":\"migrated\",\"reason\":\"e2e done\"}");
			phase.set(Phase.MIGRATED.ordinal());
			for (Future<?> future : running) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			clients.shutdownNow();
		}

		List<Outcome> all = List.copyOf(outcomes);
		System.out.printf("StageSwitchUnderLoadIT: %d requests; %s%n", all.size(), summary(all));
		assertThat(all).hasSize(CLIENTS * REQUESTS_PER_CLIENT);
		assertThat(all).as("failed requests").filteredOn((outcome) -> outcome.status() != 200).isEmpty();
		assertThat(backends(all, Phase.LEGACY)).as("backends before the switch").containsOnly("legacy");
		assertThat(backends(all, Phase.MIGRATED)).as("backends once migrated").containsOnly("target");
		List<String> canary = backends(all, Phase.CANARY);
		assertThat(canary).as("requests in the canary phase").hasSizeGreaterThan(400);
		double targetShare = 100.0 * canary.stream().filter("target"::equals).count() / canary.size();
		assertThat(targetShare).as("target share at canary 50%%").isBetween(50 - TOLERANCE, 50 + TOLERANCE);
	}

	/**
	 * One request, labelled with the phase in force when it was sent and when its answer
	 * came. A phase starts only once the admin API confirmed the switch, and the label is
	 * {@link Phase#SWITCHING} while the admin call is under way, so a request that saw
	 * the same phase at both ends was served entirely under that phase's stage; one that
	 * straddled a switch may see either stage and is only checked for success.
	 */
	private static Outcome send(AtomicInteger phase, String user, int i) {
		Phase sent = Phase.values()[phase.get()];
		String path = (i % 3 == 0) ? "/api/products" : "/api/products/" + (1 + i % 5);
		try {
			HttpResponse<byte[]> response = Http
				.send(Http.request(gateway.uri(path)).header("X-User-Id", user).GET().build());
			return new Outcome(within(sent, phase), response.statusCode(),
					response.headers().firstValue("X-Strangler-Backend").orElse("none"));
		}
		catch (Exception ex) {
			return new Outcome(within(sent, phase), -1, ex.toString());
		}
	}

	private static Phase within(Phase sent, AtomicInteger phase) {
		return (Phase.values()[phase.get()] == sent) ? sent : Phase.SWITCHING;
	}

	private static void setOverride(String body) {
		HttpResponse<byte[]> response = Http.exchange(Http.request(gateway.managementUri("/actuator/migration/catalog"))
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(response.statusCode())
			.as("admin API answer to %s: %s", body, new String(response.body(), StandardCharsets.UTF_8))
			.isEqualTo(200);
	}

	private static List<String> backends(List<Outcome> outcomes, Phase phase) {
		return outcomes.stream().filter((outcome) -> outcome.phase() == phase).map(Outcome::backend).toList();
	}

	private static String summary(List<Outcome> outcomes) {
		StringBuilder summary = new StringBuilder();
		for (Phase phase : Phase.values()) {
			List<String> backends = backends(outcomes, phase);
			summary.append(phase)
				.append(": ")
				.append(backends.size())
				.append(" (target ")
				.append(backends.stream().filter("target"::equals).count())
				.append(") ");
		}
		return summary.toString().trim();
	}

	/**
	 * Failsafe passes the jar's path; run from an IDE, the module's build output is used.
	 */
	private static Path gatewayJar() {
		String configured = System.getProperty("e2e.jar.gateway");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		return Path.of(System.getProperty("e2e.repository.dir", ".."))
			.toAbsolutePath()
			.normalize()
			.resolve("gateway/target/gateway-0.1.0-SNAPSHOT-exec.jar");
	}

	private enum Phase {

		LEGACY, CANARY, MIGRATED,

		/** An admin call was under way while the request was sent or answered. */
		SWITCHING

	}

	private record Outcome(Phase phase, int status, String backend) {

	}

}
