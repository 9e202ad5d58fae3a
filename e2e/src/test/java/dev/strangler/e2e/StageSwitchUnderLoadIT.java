package dev.strangler.e2e;

import java.util.List;
import java.util.Map;

import dev.strangler.e2e.E2eEnvironment.Backends;
import dev.strangler.e2e.PhasedTraffic.Answer;
import dev.strangler.e2e.PhasedTraffic.ClientRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog route is switched legacy → canary 50 % → migrated through the admin API
 * while a bounded stream of requests flows: no request fails, and each phase is served as
 * its stage says (canary within a few points of its percent).
 */
@EndToEnd
class StageSwitchUnderLoadIT {

	private static final int CLIENTS = 4;

	/** A cap: the traffic stops once the migrated phase had its share, well before it. */
	private static final int REQUESTS_PER_CLIENT = 1000;

	/**
	 * Switch to canary after this many requests, to migrated this many later, and stop
	 * this many after that.
	 */
	private static final int SWITCH_EVERY = 700;

	/** Percentage points the canary share may differ from 50 %. */
	private static final double TOLERANCE = 6;

	private static final String LEGACY = "legacy";

	private static final String CANARY = "canary";

	private static final String MIGRATED = "migrated";

	// A gateway of its own: the admin API needs a password, and the overrides set here
	// must not leak into gateways other classes share.
	private static AdminGateway gateway;

	@BeforeAll
	static void start(E2eEnvironment env) {
		Backends backends = env.backends();
		String route = GatewaySetup.catalogRoute(GatewaySetup.Stage.LEGACY, backends.legacy().baseUri(),
				backends.catalog().baseUri()) + """
						    rollout:
						      stickyBy: header:X-User-Id
						""";
		gateway = AdminGateway.start("gateway-stage-switch", backends.legacy().baseUri(), Map.of("catalog.yml", route));
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void switchingStagesUnderLoadFailsNoRequestAndSplitsAsConfigured() throws Exception {
		List<Answer> all;
		try (PhasedTraffic traffic = PhasedTraffic.start(gateway, LEGACY, CLIENTS, REQUESTS_PER_CLIENT,
				StageSwitchUnderLoadIT::request, PhasedTraffic::ok)) {
			traffic.awaitAnswered(SWITCH_EVERY);
			traffic.switchTo(CANARY,
					() -> gateway.override("catalog", "{\"stage\":\"canary\",\"percent\":50,\"reason\":\"e2e ramp\"}"));
			traffic.awaitAnswered(traffic.answered() + SWITCH_EVERY);
			traffic.switchTo(MIGRATED,
					() -> gateway.override("catalog", "{\"stage\":\"migrated\",\"reason\":\"e2e done\"}"));
			traffic.awaitAnswered(traffic.answered() + SWITCH_EVERY);
			traffic.stop();
			all = traffic.finish();
		}

		System.out.printf("StageSwitchUnderLoadIT: %d requests; %s%n", all.size(), summary(all));
		assertThat(all).as("failed requests").filteredOn((answer) -> answer.problem() != null).isEmpty();
		assertThat(backends(all, LEGACY)).as("backends before the switch").containsOnly("legacy");
		assertThat(backends(all, MIGRATED)).as("backends once migrated").containsOnly("target");
		List<String> canary = backends(all, CANARY);
		assertThat(canary).as("requests in the canary phase").hasSizeGreaterThan(400);
		double targetShare = 100.0 * canary.stream().filter("target"::equals).count() / canary.size();
		assertThat(targetShare).as("target share at canary 50%%").isBetween(50 - TOLERANCE, 50 + TOLERANCE);
	}

	/** Every request by a user of its own, so the canary share is a share of users. */
	private static ClientRequest request(int client, int i) {
		String path = (i % 3 == 0) ? "/api/products" : "/api/products/" + (1 + i % 5);
		return new ClientRequest(path, "user-" + client + "-" + i);
	}

	private static List<String> backends(List<Answer> answers, String phase) {
		return answers.stream().filter((answer) -> answer.in(phase)).map(Answer::backend).toList();
	}

	private static String summary(List<Answer> answers) {
		StringBuilder summary = new StringBuilder();
		for (String phase : List.of(LEGACY, CANARY, MIGRATED, PhasedTraffic.SWITCHING)) {
			List<String> backends = backends(answers, phase);
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
