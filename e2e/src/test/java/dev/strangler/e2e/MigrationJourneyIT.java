package dev.strangler.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strangler.e2e.E2eEnvironment.Backends;
import dev.strangler.e2e.GatewaySetup.Stage;
import dev.strangler.e2e.PhasedTraffic.Answer;
import dev.strangler.e2e.PhasedTraffic.ClientRequest;
import dev.strangler.gateway.rollout.RolloutBucket;
import dev.strangler.gateway.route.Percent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole migration of the catalog route on real processes, while one bounded stream of
 * client traffic (catalog and orders reads of 200 sticky users) flows through one
 * gateway: the catalog route is walked legacy → shadow → canary 10 % → canary 50 % →
 * migrated → back to legacy, and the orders route legacy → shadow → migrated, all through
 * the admin API. In each phase every request is served by the backend the phase's stage
 * (and, in canary, the user's bucket) names, the shadow comparisons grow while a stage
 * mirrors and never find a mismatch, no client sees an error or a wrong answer, and the
 * audit trail lists every change with its reason.
 */
@EndToEnd
class MigrationJourneyIT {

	private static final int CLIENTS = 4;

	/**
	 * A cap: the traffic stops once the last phase had its share, well before it.
	 */
	private static final int REQUESTS_PER_CLIENT = 1200;

	/**
	 * Requests answered in each phase before the next change, or before the traffic stops
	 * in the last.
	 */
	private static final int PHASE_REQUESTS = 420;

	private static final int USERS = 200;

	private static final String LEGACY = "legacy";

	private static final String TARGET = "target";

	/**
	 * The journey: each phase's stages, and the reasons given for the changes that start
	 * it (none where a route stays as it was).
	 */
	private static final List<Phase> JOURNEY = List.of(new Phase("legacy", Stage.LEGACY, 0, Stage.LEGACY, null, null),
			new Phase("shadow", Stage.SHADOW, 0, Stage.SHADOW, "compare the catalog on live traffic",
					"compare orders on live traffic"),
			new Phase("canary 10", Stage.CANARY, 10, Stage.SHADOW, "first tenth of the users", null),
			new Phase("canary 50", Stage.CANARY, 50, Stage.MIGRATED, "half of the users", "orders matched in shadow"),
			new Phase("migrated", Stage.MIGRATED, 50, Stage.MIGRATED, "every user on catalog-service", null),
			new Phase("rolled back", Stage.LEGACY, 50, Stage.MIGRATED, "rollback drill: back to the monolith", null));

	private static AdminGateway gateway;

	/** Legacy's answer to every path the clients ask, read directly from the monolith. */
	private static LegacyAnswers expected;

	@BeforeAll
	static void start(E2eEnvironment env) {
		Backends backends = env.backends();
		AppProcess orders = env.orders();
		expected = LegacyAnswers.read(backends.legacy(), paths());
		String catalogRoute = GatewaySetup.catalogRoute(Stage.LEGACY, backends.legacy().baseUri(),
				backends.catalog().baseUri(), List.of("/api/products", "/api/products/**", "/api/categories")) + """
						    compare:
						      ignore: [$.generatedAt]
						      headers: [Content-Type]
						""" + GatewaySetup.UNDER_TRAFFIC;
		String ordersRoute = GatewaySetup.ordersRoute(Stage.LEGACY, backends.legacy().baseUri(), orders.baseUri()) + """
				    compare:
				      headers: [Content-Type]
				""" + GatewaySetup.UNDER_TRAFFIC;
		// Every mirror must be compared here, so the in-flight cap that drops mirrors by
		// design (64 by default) is raised: on a busy CI machine a pause of the extracted
		// service let 64 mirrors gather once and 2 of 645 were dropped. Dropping at the
		// cap
		// is tested where it is the point (ShadowIntegrationTests).
		gateway = AdminGateway.start("gateway-journey", backends.legacy().baseUri(),
				Map.of("catalog.yml", catalogRoute, "orders.yml", ordersRoute),
				"--strangler.shadow.max-in-flight=1024");
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void walkingBothRoutesThroughEveryStageUnderTrafficServesEachPhaseAsItsStageSays() throws Exception {
		long started = System.nanoTime();
		List<Answer> answers;
		try (PhasedTraffic traffic = PhasedTraffic.start(gateway, JOURNEY.get(0).name(), CLIENTS, REQUESTS_PER_CLIENT,
				MigrationJourneyIT::request, expected::problem)) {
			for (int next = 1; next < JOURNEY.size(); next++) {
				Phase phase = JOURNEY.get(next - 1);
				int phaseStart = traffic.answered();
				JsonNode catalogAtStart = shadowStats("catalog");
				JsonNode ordersAtStart = shadowStats("orders");
				// Growth shows within a phase's first requests: awaiting it first
				// does not stretch the phase.
				if (phase.mirrorsCatalog()) {
					awaitComparedBeyond("catalog", catalogAtStart, phase);
				}
				if (phase.ordersStage() == Stage.SHADOW) {
					awaitComparedBeyond("orders", ordersAtStart, phase);
				}
				traffic.awaitAnswered(phaseStart + PHASE_REQUESTS);
				Phase to = JOURNEY.get(next);
				traffic.switchTo(to.name(), () -> change(phase, to));
			}
			traffic.awaitAnswered(traffic.answered() + PHASE_REQUESTS);
			traffic.stop();
			answers = traffic.finish();
		}
		System.out.printf("MigrationJourneyIT: %d requests in %d s; %s%n", answers.size(),
				Duration.ofNanos(System.nanoTime() - started).toSeconds(), summary(answers));

		assertThat(answers).as("failed or wrong answers")
			.filteredOn((answer) -> answer.problem() != null)
			.extracting(Answer::problem)
			.isEmpty();
		assertThat(answers).as("answers to the ids asked for on purpose that do not exist")
			.filteredOn((answer) -> answer.status() == 404)
			.hasSizeGreaterThan(20);
		for (Phase phase : JOURNEY) {
			List<Answer> within = answers.stream().filter((answer) -> answer.in(phase.name())).toList();
			assertThat(within).as("requests sent and answered within phase %s", phase.name())
				.hasSizeGreaterThan(PHASE_REQUESTS * 3 / 4);
			assertThat(within).as("requests of phase %s served by another backend than its stage names", phase.name())
				.filteredOn((answer) -> !answer.backend().equals(phase.expectedBackend(answer.request())))
				.extracting((answer) -> answer.request() + " → " + answer.backend())
				.isEmpty();
			if (phase.catalogStage() == Stage.CANARY) {
				assertCanaryShare(phase, within);
			}
		}
		assertShadowTotals("catalog", answers, Phase::mirrorsCatalog);
		assertShadowTotals("orders", answers, (phase) -> phase.ordersStage() == Stage.SHADOW);
		assertAuditTrail();
	}

	/**
	 * Half catalog reads (listings, products, categories, an unknown product), half order
	 * and customer reads (an unknown order or customer among them), each by one of
	 * {@link #USERS} users; the same for every run.
	 */
	private static ClientRequest request(int client, int index) {
		SplittableRandom random = new SplittableRandom(client * 1_000_003L + index);
		String user = "user-" + random.nextInt(USERS);
		int kind = random.nextInt(20);
		String path;
		if (kind == 0) {
			path = "/api/products";
		}
		else if (kind <= 2) {
			path = "/api/products?page=" + random.nextInt(5) + "&size=10&sort=price,desc";
		}
		else if (kind <= 7) {
			path = "/api/products/" + (1 + random.nextInt(60));
		}
		else if (kind == 8) {
			path = "/api/categories";
		}
		else if (kind == 9) {
			path = "/api/products/1001";
		}
		else if (kind <= 14) {
			path = "/api/orders/" + (1 + random.nextInt(60));
		}
		else if (kind <= 18) {
			path = "/api/customers/" + (1 + random.nextInt(40));
		}
		else {
			path = random.nextBoolean() ? "/api/orders/201" : "/api/customers/101";
		}
		return new ClientRequest(path, user);
	}

	/** Every path {@link #request} can ask. */
	private static List<String> paths() {
		return Stream
			.of(Stream.of("/api/products", "/api/categories", "/api/products/1001", "/api/orders/201",
					"/api/customers/101"),
					IntStream.range(0, 5).mapToObj((page) -> "/api/products?page=" + page + "&size=10&sort=price,desc"),
					IntStream.rangeClosed(1, 60).mapToObj((id) -> "/api/products/" + id),
					IntStream.rangeClosed(1, 60).mapToObj((id) -> "/api/orders/" + id),
					IntStream.rangeClosed(1, 40).mapToObj((id) -> "/api/customers/" + id))
			.flatMap((paths) -> paths)
			.toList();
	}

	private static void change(Phase from, Phase to) {
		if (to.catalogStage() != from.catalogStage() || to.catalogPercent() != from.catalogPercent()) {
			gateway.override("catalog", overrideBody(to.catalogStage(), to.catalogPercent(), to.catalogReason()));
		}
		if (to.ordersStage() != from.ordersStage()) {
			gateway.override("orders", overrideBody(to.ordersStage(), -1, to.ordersReason()));
		}
	}

	private static String overrideBody(Stage stage, int percent, String reason) {
		String percentField = (stage == Stage.CANARY) ? "\"percent\":" + percent + "," : "";
		return "{\"stage\":\"" + stage.value() + "\"," + percentField + "\"reason\":\"" + reason + "\"}";
	}

	private static JsonNode shadowStats(String route) {
		return gateway.admin("/actuator/migration/" + route).path("stats").path("shadow");
	}

	private static void awaitComparedBeyond(String route, JsonNode atStart, Phase phase) {
		long before = atStart.path("compared").asLong();
		await(route + " comparisons growing in phase " + phase.name()).atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(shadowStats(route).path("compared").asLong()).isGreaterThan(before));
	}

	/**
	 * Each sticky user is on the backend their bucket names (checked per request above);
	 * here the share of users on the target is within three standard errors of the
	 * percent.
	 */
	private static void assertCanaryShare(Phase phase, List<Answer> within) {
		Map<String, String> backendOfUser = new HashMap<>();
		within.stream()
			.filter((answer) -> isCatalog(answer.request().path()))
			.forEach((answer) -> backendOfUser.put(answer.request().user(), answer.backend()));
		int users = backendOfUser.size();
		long onTarget = backendOfUser.values().stream().filter(TARGET::equals).count();
		double share = 100.0 * onTarget / users;
		double p = phase.catalogPercent() / 100.0;
		double tolerance = 300 * Math.sqrt(p * (1 - p) / users);
		System.out.printf("MigrationJourneyIT: %s: %d of %d users on the target (%.1f %%, %d ± %.1f)%n", phase.name(),
				onTarget, users, share, phase.catalogPercent(), tolerance);
		assertThat(users).as("catalog users in phase %s", phase.name()).isGreaterThan(USERS / 2);
		assertThat(share).as("share of users on the target in phase %s", phase.name())
			.isBetween(phase.catalogPercent() - tolerance, phase.catalogPercent() + tolerance);
	}

	/**
	 * Every request sent and answered in a mirroring phase was mirrored and its mirror
	 * finished; one that straddled a change may have been; no other was. Not one mirror
	 * found a difference.
	 */
	private static void assertShadowTotals(String route, List<Answer> answers, Predicate<Phase> mirrors) {
		Predicate<Answer> ofRoute = (answer) -> route.equals("catalog") == isCatalog(answer.request().path());
		long mustMirror = 0;
		for (Phase phase : JOURNEY) {
			if (mirrors.test(phase)) {
				mustMirror += answers.stream()
					.filter(ofRoute)
					.filter((answer) -> answer.in(phase.name()) && answer.backend().equals(LEGACY))
					.count();
			}
		}
		long mayMirror = mustMirror
				+ answers.stream().filter(ofRoute).filter((answer) -> answer.in(PhasedTraffic.SWITCHING)).count();
		long lower = mustMirror;
		await(route + " mirrors finished").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(finished(shadowStats(route))).isGreaterThanOrEqualTo(lower));
		JsonNode stats = shadowStats(route);
		System.out.printf("MigrationJourneyIT: %s mirrors %d..%d expected, shadow stats %s%n", route, mustMirror,
				mayMirror, stats);
		assertThat(finished(stats)).as("%s mirrors: %s", route, stats).isBetween(mustMirror, mayMirror);
		assertThat(stats.path("mismatch").asLong()).as("%s mismatches: %s", route, stats).isZero();
		assertThat(stats.path("error").asLong() + stats.path("dropped").asLong() + stats.path("skipped").asLong())
			.as("%s mirrors not compared: %s", route, stats)
			.isZero();
		assertThat(gateway.admin("/actuator/migration/" + route + "/diffs")).as("%s diffs", route).isEmpty();
	}

	private static long finished(JsonNode stats) {
		return stats.path("compared").asLong() + stats.path("error").asLong() + stats.path("skipped").asLong()
				+ stats.path("dropped").asLong();
	}

	/**
	 * The audit trail, oldest first, holds exactly the changes of the walk: by the admin,
	 * with their reasons and resulting stages (an automatic rollback would show here).
	 */
	private static void assertAuditTrail() {
		JsonNode catalog = gateway.admin("/actuator/migration/catalog");
		JsonNode orders = gateway.admin("/actuator/migration/orders");
		List<String> expectedCatalog = new ArrayList<>();
		List<String> expectedOrders = new ArrayList<>();
		for (int i = 1; i < JOURNEY.size(); i++) {
			Phase from = JOURNEY.get(i - 1);
			Phase to = JOURNEY.get(i);
			if (to.catalogStage() != from.catalogStage() || to.catalogPercent() != from.catalogPercent()) {
				expectedCatalog.add("set|admin|" + to.catalogReason() + "|" + to.catalogStage().value()
						+ ((to.catalogStage() == Stage.CANARY) ? " " + to.catalogPercent() : ""));
			}
			if (to.ordersStage() != from.ordersStage()) {
				expectedOrders.add("set|admin|" + to.ordersReason() + "|" + to.ordersStage().value());
			}
		}
		assertThat(auditOldestFirst(catalog)).as("catalog audit trail").containsExactlyElementsOf(expectedCatalog);
		assertThat(auditOldestFirst(orders)).as("orders audit trail").containsExactlyElementsOf(expectedOrders);
		assertThat(catalog.path("effective").path("stage").asText()).isEqualTo("legacy");
		assertThat(orders.path("effective").path("stage").asText()).isEqualTo("migrated");
	}

	private static List<String> auditOldestFirst(JsonNode route) {
		List<String> entries = new ArrayList<>();
		for (JsonNode entry : route.path("audit")) {
			JsonNode after = entry.path("after");
			String stage = after.path("stage").asText();
			entries.add(0,
					entry.path("action").asText() + "|" + entry.path("who").asText() + "|"
							+ entry.path("reason").asText() + "|" + stage
							+ (stage.equals("canary") ? " " + after.path("percent").asText() : ""));
		}
		return entries;
	}

	private static boolean isCatalog(String path) {
		return path.startsWith("/api/products") || path.startsWith("/api/categories");
	}

	private static String summary(List<Answer> answers) {
		StringBuilder summary = new StringBuilder();
		for (Phase phase : JOURNEY) {
			appendPhase(summary, phase.name(), answers);
		}
		appendPhase(summary, PhasedTraffic.SWITCHING, answers);
		return summary.toString().trim();
	}

	private static void appendPhase(StringBuilder summary, String phase, List<Answer> answers) {
		List<Answer> within = answers.stream().filter((answer) -> answer.in(phase)).toList();
		long catalogTarget = within.stream()
			.filter((answer) -> isCatalog(answer.request().path()) && answer.backend().equals(TARGET))
			.count();
		long ordersTarget = within.stream()
			.filter((answer) -> !isCatalog(answer.request().path()) && answer.backend().equals(TARGET))
			.count();
		summary.append(phase)
			.append(": ")
			.append(within.size())
			.append(" (target: catalog ")
			.append(catalogTarget)
			.append(", orders ")
			.append(ordersTarget)
			.append("); ");
	}

	/**
	 * One phase of the journey.
	 *
	 * @param name its label
	 * @param catalogStage the catalog route's stage
	 * @param catalogPercent its rollout percent (used in canary)
	 * @param ordersStage the orders route's stage
	 * @param catalogReason the reason given for the catalog change starting the phase
	 * @param ordersReason the reason given for the orders change starting the phase
	 */
	private record Phase(String name, Stage catalogStage, int catalogPercent, Stage ordersStage, String catalogReason,
			String ordersReason) {

		boolean mirrorsCatalog() {
			return this.catalogStage == Stage.SHADOW || this.catalogStage == Stage.CANARY;
		}

		/**
		 * The backend this phase's stages name for {@code request}: in canary, the target
		 * when the user's bucket is below the percent (DESIGN.md, rollout).
		 */
		String expectedBackend(ClientRequest request) {
			Stage stage = isCatalog(request.path()) ? this.catalogStage : this.ordersStage;
			return switch (stage) {
				case LEGACY, SHADOW -> LEGACY;
				case MIGRATED -> TARGET;
				case CANARY -> RolloutBucket.of("catalog", request.user())
					.isBelow(Percent.parse(String.valueOf(this.catalogPercent))) ? TARGET : LEGACY;
			};
		}

	}

}
