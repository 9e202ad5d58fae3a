package dev.strangler.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strangler.e2e.E2eEnvironment.Backends;
import dev.strangler.e2e.GatewaySetup.Stage;
import dev.strangler.e2e.PhasedTraffic.Answer;
import dev.strangler.e2e.PhasedTraffic.ClientRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The catalog route carried by its {@code progression:} block alone, on the real monolith
 * and catalog-service, with decisions every two seconds, while a bounded stream of client
 * traffic flows and no operator calls the admin API: against the catalog-service, every
 * step is taken in turn up to migrated, each audited by the progression with the figures
 * that decided it, and no client sees an error or a wrong answer; against a
 * catalog-service whose copy of one product has a planted wrong price, the mismatch gate
 * fails, the route is rolled back to shadow, and no canary step is ever set.
 */
@EndToEnd
class ProgressionIT {

	private static final int CLIENTS = 3;

	/** A cap: the traffic stops once the test saw what it waits for, well before it. */
	private static final int REQUESTS_PER_CLIENT = 5000;

	/** Requests answered after the progression ended, before the traffic stops. */
	private static final int AFTER_THE_END = 150;

	private static final int USERS = 200;

	/** Longer than any run: a progression that does not end in time fails the test. */
	private static final Duration PROGRESSION_TIMEOUT = Duration.ofMinutes(3);

	/**
	 * The product whose price the planted catalog-service gets wrong. Every fourth
	 * request asks for it, so every judged interval compares it.
	 */
	private static final String PLANTED = "/api/products/7";

	/** Phase of the traffic while the progression decides. */
	private static final String PROGRESSING = "progressing";

	/** Phase of the traffic sent after the progression was seen to end. */
	private static final String ENDED = "ended";

	private static final String ACTOR = "progression";

	/**
	 * Decisions every 2 s on evidence buckets of 1 s (docs/progressive-delivery.md: keep
	 * the interval a multiple of the bucket). At least 30 comparisons in shadow, and a
	 * judged interval needs 5 pieces of evidence. The progression starts with the
	 * gateway, before the traffic: idle intervals are inconclusive, and 60 of them (two
	 * minutes) would pause it. The p99 gate is left wide: latency ratios on two shared
	 * cores are noise, and that gate is tested in the gateway's integration tests.
	 */
	private static final String PROGRESSION = """
			    compare:
			      ignore: [$.generatedAt]
			      headers: [Content-Type]
			    progression:
			      interval: 2s
			      steps:
			        - stage: shadow
			          minComparisons: 30
			        - percent: 20
			        - percent: 50
			        - stage: migrated
			      gates:
			        maxP99OverLegacy: 100
			        minRequests: 5
			      inconclusiveLimit: 60
			      autoMigrate: true
			""";

	private static final String EVIDENCE_BUCKET = "--strangler.evidence.bucket=1s";

	/** A decision's figures, as the progression writes them at the end of its reason. */
	private static final Pattern FIGURES = Pattern.compile("\\[comparisons (\\d+), mismatches (\\d+) \\([0-9.]+%\\), "
			+ "legacy (\\d+) requests ([0-9.]+)% 5xx p99 [0-9.]+ ms, target (\\d+) requests ([0-9.]+)% 5xx p99 [0-9.]+ ms\\]$");

	private static AppProcess legacy;

	private static AppProcess catalog;

	/** A catalog-service of this class's own, with one product's price changed. */
	private static AppProcess planted;

	private static LegacyAnswers expected;

	@BeforeAll
	static void start(E2eEnvironment env) {
		// Launched first, so its start-up overlaps the shared backends'.
		planted = AppProcess.builder("catalog-planted", E2eEnvironment.catalogJar())
			.arg("--spring.flyway.locations=classpath:db/migration,filesystem:" + plantedMigration())
			.start();
		Backends backends = env.backends();
		planted.awaitHealthy();
		legacy = backends.legacy();
		catalog = backends.catalog();
		expected = LegacyAnswers.read(legacy, paths());

		JsonNode legacyProduct = JsonComparison.parse(Http.get(legacy.uri(PLANTED)).body());
		JsonNode plantedProduct = JsonComparison.parse(Http.get(planted.uri(PLANTED)).body());
		assertThat(plantedProduct.path("price").decimalValue()).as("the planted price")
			.isEqualByComparingTo(legacyProduct.path("price").decimalValue().add(BigDecimal.ONE));
	}

	@AfterAll
	static void stop() {
		if (planted != null) {
			planted.close();
		}
	}

	/**
	 * A Flyway migration run after the catalog seed: the one planted difference.
	 */
	private static Path plantedMigration() {
		Path dir = E2eDirectories.work("catalog-planted-migration");
		try {
			Files.writeString(dir.resolve("V3__plant_a_wrong_price.sql"),
					"UPDATE products SET price = price + 1 WHERE id = "
							+ PLANTED.substring(PLANTED.lastIndexOf('/') + 1) + ";\n",
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return dir.toAbsolutePath();
	}

	@Test
	void steadyTrafficCarriesTheRouteThroughEveryStepToMigratedWithoutAClientError() throws Exception {
		try (AdminGateway gateway = startGateway("gateway-progression", catalog.baseUri())) {
			Run run = trafficUntil(gateway, "completed",
					Set.of("paused", "rolled-back", "aborted", "awaiting-confirmation"));
			JsonNode progression = run.progression();

			assertThat(progression.path("step").asInt()).isEqualTo(4);
			assertThat(progression.path("stepName").asText()).isEqualTo("migrated");
			assertThat(progression.path("intervals")).as("intervals judged")
				.isNotEmpty()
				.allSatisfy((interval) -> assertThat(interval.path("result").asText()).as("%s", interval)
					.isIn("PASS", "INCONCLUSIVE"));

			List<JsonNode> audit = auditOldestFirst(gateway);
			assertThat(audit).as("audit trail").allSatisfy(ProgressionIT::assertByTheProgression);
			assertThat(audit).extracting(ProgressionIT::stage)
				.containsExactly("shadow", "canary 20", "canary 50", "migrated");
			assertThat(audit.get(0).path("reason").asText()).isEqualTo("started at the first step");
			Figures shadow = promotion(audit.get(1), "step 2 of 4 (canary 20%)", "step 1 of 4 (shadow)");
			assertThat(shadow.comparisons()).as("comparisons in the shadow step's last interval")
				.isGreaterThanOrEqualTo(5);
			assertThat(comparisonsOfStep(audit.get(1))).as("comparisons in shadow").isGreaterThanOrEqualTo(30);
			for (int i = 2; i <= 3; i++) {
				String from = (i == 2) ? "step 2 of 4 (canary 20%)" : "step 3 of 4 (canary 50%)";
				String to = (i == 2) ? "step 3 of 4 (canary 50%)" : "step 4 of 4 (migrated)";
				Figures canary = promotion(audit.get(i), to, from);
				assertThat(canary.targetRequests()).as("target requests judged at %s", from).isGreaterThanOrEqualTo(5);
			}

			String scrape = AdminGateway.text(gateway.adminCall("GET", "/actuator/prometheus", null));
			assertThat(metric(scrape, "strangler_progression_step", "route=\"catalog\"")).isEqualTo(4);
			assertThat(metric(scrape, "strangler_progression_decisions_total", "result=\"promoted\"")).isEqualTo(2);
			assertThat(metric(scrape, "strangler_progression_decisions_total", "result=\"completed\"")).isEqualTo(1);

			assertThat(run.backends(PROGRESSING)).as("backends while the progression ran").contains("legacy", "target");
			assertThat(run.backends(ENDED)).as("backends once migrated").hasSizeGreaterThan(AFTER_THE_END / 2);
			assertThat(run.backends(ENDED)).as("backends once migrated").containsOnly("target");
		}
	}

	@Test
	void aPlantedDifferenceInOneProductRollsTheRouteBackToShadowBeforeAnyCanaryStep() throws Exception {
		try (AdminGateway gateway = startGateway("gateway-progression-planted", planted.baseUri())) {
			Run run = trafficUntil(gateway, "rolled-back",
					Set.of("completed", "paused", "aborted", "awaiting-confirmation"));
			JsonNode progression = run.progression();

			assertThat(progression.path("step").asInt()).as("the step it was rolled back at").isEqualTo(1);
			assertThat(progression.path("intervals")).as("intervals judged")
				.filteredOn((interval) -> interval.path("result").asText().equals("FAIL"))
				.hasSizeGreaterThanOrEqualTo(2)
				.allSatisfy((interval) -> assertThat(interval.path("gate").asText()).isEqualTo("maxMismatchRate"));

			List<JsonNode> audit = auditOldestFirst(gateway);
			assertThat(audit).as("audit trail").allSatisfy(ProgressionIT::assertByTheProgression);
			assertThat(audit).as("stages set, oldest first: never a canary step")
				.extracting(ProgressionIT::stage)
				.containsExactly("shadow", "shadow");
			assertThat(audit.get(0).path("reason").asText()).isEqualTo("started at the first step");
			String reason = audit.get(1).path("reason").asText();
			assertThat(reason).as("the rollback's reason")
				.startsWith("rolled back to shadow: gate failed 2 interval(s) in a row at step 1 of 4 (shadow): "
						+ "maxMismatchRate: mismatch rate ");
			Figures figures = figures(reason);
			assertThat(figures.mismatches()).as("mismatches in %s", reason).isPositive();
			assertThat(figures.comparisons()).as("comparisons in %s", reason).isGreaterThanOrEqualTo(5);

			JsonNode diffs = gateway.admin("/actuator/migration/catalog/diffs");
			assertThat(diffs).as("shadow diffs").isNotEmpty();
			assertThat(diffs.findValues("path")).extracting(JsonNode::asText)
				.as("paths that differ")
				.contains("$.price");

			String scrape = AdminGateway.text(gateway.adminCall("GET", "/actuator/prometheus", null));
			assertThat(metric(scrape, "strangler_progression_step", "route=\"catalog\"")).isEqualTo(1);
			assertThat(metric(scrape, "strangler_progression_decisions_total", "result=\"rolled-back\"")).isEqualTo(1);
			assertThat(metric(scrape, "strangler_progression_decisions_total", "result=\"promoted\"")).isZero();

			assertThat(run.answers()).as("backends: shadow serves every request from the monolith")
				.extracting(Answer::backend)
				.containsOnly("legacy");
		}
	}

	private static AdminGateway startGateway(String name, URI target) {
		String route = GatewaySetup.catalogRoute(Stage.LEGACY, legacy.baseUri(), target) + PROGRESSION
				+ GatewaySetup.UNDER_TRAFFIC;
		return AdminGateway.start(name, legacy.baseUri(), Map.of("catalog.yml", route), EVIDENCE_BUCKET);
	}

	/**
	 * Sends client traffic until the progression reached {@code phase}, then
	 * {@value #AFTER_THE_END} requests more, and checks that every client request got the
	 * monolith's answer, whichever backend served it.
	 */
	private static Run trafficUntil(AdminGateway gateway, String phase, Set<String> elsewhere) throws Exception {
		try (PhasedTraffic traffic = PhasedTraffic.start(gateway, PROGRESSING, CLIENTS, REQUESTS_PER_CLIENT,
				ProgressionIT::request, expected::problem)) {
			JsonNode progression = awaitProgression(gateway, phase, elsewhere);
			traffic.switchTo(ENDED, () -> {
			});
			traffic.awaitAnswered(traffic.answered() + AFTER_THE_END);
			traffic.stop();
			Run run = new Run(progression, traffic.finish());
			System.out.printf("ProgressionIT: %s: %d requests; %s; progression %s%n", gateway, run.answers().size(),
					run.summary(), progression);
			assertThat(run.answers()).as("failed or wrong answers")
				.filteredOn((answer) -> answer.problem() != null)
				.extracting(Answer::problem)
				.isEmpty();
			return run;
		}
	}

	/**
	 * Waits until the progression reaches {@code phase}; one in a phase of {@code wrong}
	 * will not get there, so the wait ends at once.
	 */
	private static JsonNode awaitProgression(AdminGateway gateway, String phase, Set<String> wrong) {
		await("progression " + phase).atMost(PROGRESSION_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> {
				JsonNode progression = progression(gateway);
				if (wrong.contains(progression.path("phase").asText())) {
					// Not an AssertionError: Awaitility does not retry it.
					throw new IllegalStateException("the progression went elsewhere: " + progression);
				}
				assertThat(progression.path("phase").asText()).as("%s", progression).isEqualTo(phase);
			});
		return progression(gateway);
	}

	private static JsonNode progression(AdminGateway gateway) {
		return gateway.admin("/actuator/migration/catalog").path("progression");
	}

	private static List<JsonNode> auditOldestFirst(AdminGateway gateway) {
		List<JsonNode> entries = new ArrayList<>();
		gateway.admin("/actuator/migration/catalog").path("audit").forEach((entry) -> entries.add(0, entry));
		return entries;
	}

	private static void assertByTheProgression(JsonNode entry) {
		assertThat(entry.path("who").asText()).as("who, in %s", entry).isEqualTo(ACTOR);
		assertThat(entry.path("action").asText()).as("action, in %s", entry).isEqualTo("auto");
	}

	/** The stage an audit entry set, with its percent in canary. */
	private static String stage(JsonNode entry) {
		JsonNode after = entry.path("after");
		String stage = after.path("stage").asText();
		return stage.equals("canary") ? stage + " " + after.path("percent").asText() : stage;
	}

	/**
	 * Checks a promotion's reason (the step it left, that every gate passed) and returns
	 * the figures of the interval that decided it.
	 */
	private static Figures promotion(JsonNode entry, String to, String from) {
		String reason = entry.path("reason").asText();
		assertThat(reason).as("reason").startsWith("promoted to " + to + ": " + from + " held ");
		assertThat(reason).as("reason").contains("; all: every gate passed (mismatch rate 0.000% over ");
		Figures figures = figures(reason);
		assertThat(figures.mismatches()).as("mismatches in %s", reason).isZero();
		assertThat(figures.legacyErrorRate() + figures.targetErrorRate()).as("5xx rates in %s", reason).isZero();
		return figures;
	}

	/**
	 * The comparisons a shadow step counted, as its promotion says ("held N s with M
	 * comparisons").
	 */
	private static long comparisonsOfStep(JsonNode entry) {
		Matcher matcher = Pattern.compile(" held \\d+ s with (\\d+) comparisons;")
			.matcher(entry.path("reason").asText());
		assertThat(matcher.find()).as("comparisons in %s", entry).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	private static Figures figures(String reason) {
		Matcher matcher = FIGURES.matcher(reason);
		assertThat(matcher.find()).as("figures in %s", reason).isTrue();
		return new Figures(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
				Double.parseDouble(matcher.group(4)), Long.parseLong(matcher.group(5)),
				Double.parseDouble(matcher.group(6)));
	}

	/**
	 * The sum of a metric's samples in a Prometheus scrape whose labels include
	 * {@code label} (0 when there is none).
	 */
	private static double metric(String scrape, String name, String label) {
		double sum = 0;
		for (String line : scrape.split("\n")) {
			if (line.startsWith(name + "{") && line.contains(label) && line.contains("route=\"catalog\"")) {
				sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return sum;
	}

	/**
	 * Every fourth request asks for the planted product, every fourth a listing, the rest
	 * one of 50 products, each by one of {@link #USERS} sticky users.
	 */
	private static ClientRequest request(int client, int index) {
		String user = "user-" + Math.floorMod(client * 7919 + index, USERS);
		String path = switch (index % 4) {
			case 0 -> PLANTED;
			case 1 -> "/api/products?page=" + (index / 4 % 3) + "&size=10";
			default -> "/api/products/" + (1 + (client * 17 + index) % 50);
		};
		return new ClientRequest(path, user);
	}

	/** Every path {@link #request} can ask. */
	private static List<String> paths() {
		return Stream
			.concat(IntStream.range(0, 3).mapToObj((page) -> "/api/products?page=" + page + "&size=10"),
					IntStream.rangeClosed(1, 50).mapToObj((id) -> "/api/products/" + id))
			.toList();
	}

	/**
	 * The traffic of one test: the progression as it was when the traffic ended, and
	 * every answer.
	 */
	private record Run(JsonNode progression, List<Answer> answers) {

		List<String> backends(String phase) {
			return this.answers.stream().filter((answer) -> answer.in(phase)).map(Answer::backend).toList();
		}

		String summary() {
			StringBuilder summary = new StringBuilder();
			for (String phase : List.of(PROGRESSING, PhasedTraffic.SWITCHING, ENDED)) {
				List<String> backends = backends(phase);
				summary.append(phase)
					.append(": ")
					.append(backends.size())
					.append(" (target ")
					.append(backends.stream().filter("target"::equals).count())
					.append(") ");
			}
			return summary.toString().trim();
		}

	}

	/**
	 * The figures a decision's reason gives for its interval.
	 */
	private record Figures(long comparisons, long mismatches, double legacyErrorRate, long targetRequests,
			double targetErrorRate) {

	}

}
