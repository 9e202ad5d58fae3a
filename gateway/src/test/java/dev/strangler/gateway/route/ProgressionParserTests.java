package dev.strangler.gateway.route;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressionParserTests {

	private final RouteFileParser parser = new RouteFileParser(new MockEnvironment(),
			URI.create("http://legacy.test:8081"));

	private final List<RouteError> errors = new ArrayList<>();

	private List<Route> parse(String progression) {
		String yaml = """
				routes:
				  - id: catalog
				    match:
				      paths: [/api/products/**]
				    target: http://catalog.test:8082
				    stage: shadow
				""" + progression.indent(4);
		return this.parser.parse("catalog.yml", yaml, this.errors);
	}

	private List<String> errorsOf(String progression) {
		parse(progression);
		return this.errors.stream().map(RouteError::toString).toList();
	}

	@Nested
	class ValidBlocks {

		@Test
		void theIssueExampleIsReadWithPercentRatesAsFractions() {
			Route route = parse("""
					progression:
					  interval: 1m
					  steps:
					    - stage: shadow
					      minComparisons: 500
					    - percent: 1
					      hold: 10m
					    - percent: 10
					      hold: 30m
					    - percent: 50
					      hold: 30m
					    - stage: migrated
					  gates:
					    maxMismatchRate: 0.1%
					    maxErrorRateOverLegacy: 0.5%
					    maxP99OverLegacy: 1.5
					    minRequests: 100
					  failureLimit: 2
					  inconclusiveLimit: 5
					  onFailure: pause
					  autoMigrate: true
					  dryRun: true
					""").get(0);
			assertThat(ProgressionParserTests.this.errors).isEmpty();
			Progression progression = route.progression();
			assertThat(progression.interval()).isEqualTo(Duration.ofMinutes(1));
			assertThat(progression.steps()).extracting(Progression.Step::toString)
				.containsExactly("shadow", "canary 1%", "canary 10%", "canary 50%", "migrated");
			assertThat(progression.steps().get(0).minComparisons()).isEqualTo(500);
			assertThat(progression.steps().get(0).hold()).isEqualTo(Duration.ofMinutes(1));
			assertThat(progression.steps().get(2).hold()).isEqualTo(Duration.ofMinutes(30));
			assertThat(progression.gates()).isEqualTo(new Progression.Gates(0.001, 0.005, 1.5, 100));
			assertThat(progression.onFailure()).isEqualTo(Progression.OnFailure.PAUSE);
			assertThat(progression.autoMigrate()).isTrue();
			assertThat(progression.dryRun()).isTrue();
		}

		@Test
		void leftOutKeysGetTheDocumentedDefaults() {
			Progression progression = parse("""
					progression:
					  steps: [{stage: shadow}, {percent: 25}]
					""").get(0).progression();
			assertThat(ProgressionParserTests.this.errors).isEmpty();
			assertThat(progression.interval()).isEqualTo(Progression.DEFAULT_INTERVAL);
			assertThat(progression.gates()).isEqualTo(Progression.Gates.DEFAULT);
			assertThat(progression.failureLimit()).isEqualTo(2);
			assertThat(progression.inconclusiveLimit()).isEqualTo(5);
			assertThat(progression.onFailure()).isEqualTo(Progression.OnFailure.ROLLBACK);
			assertThat(progression.autoMigrate()).isFalse();
			assertThat(progression.dryRun()).isFalse();
		}

		@Test
		void aRouteWithoutTheBlockHasNoProgression() {
			assertThat(parse("").get(0).progressionPlan()).isEmpty();
		}

	}

	@Nested
	class InvalidBlocks {

		@Test
		void everyBadValueIsNamedWithFileRouteAndField() {
			assertThat(errorsOf("""
					progression:
					  interval: soon
					  steps:
					    - percent: 10
					    - percent: 120
					  gates:
					    maxMismatchRate: lots
					    maxP99OverLegacy: 0.5
					    minRequests: 0
					  failureLimit: 0
					  onFailure: panic
					  dryRun: maybe
					  speed: fast
					""")).containsExactlyInAnyOrder(
					"catalog.yml › catalog › progression.speed: unknown key, expected one of autoMigrate, dryRun, "
							+ "failureLimit, gates, inconclusiveLimit, interval, onFailure, steps",
					"catalog.yml › catalog › progression.interval: must be a duration such as 250ms, 2s or 1m (was soon)",
					"catalog.yml › catalog › progression.steps[1].percent: must be between 0 and 100 (was 120)",
					"catalog.yml › catalog › progression.gates.maxMismatchRate: must be a percentage such as 0.1% (was lots)",
					"catalog.yml › catalog › progression.gates.maxP99OverLegacy: "
							+ "must be at least 1.0 (the target's p99 over legacy's) (was 0.5)",
					"catalog.yml › catalog › progression.gates.minRequests: must be between 1 and 100000000 (was 0)",
					"catalog.yml › catalog › progression.failureLimit: must be between 1 and 100 (was 0)",
					"catalog.yml › catalog › progression.onFailure: must be rollback or pause (was panic)",
					"catalog.yml › catalog › progression.dryRun: must be true or false (was maybe)");
		}

		@Test
		void stepsMustRiseFromShadowToMigrated() {
			assertThat(errorsOf("""
					progression:
					  steps:
					    - percent: 50
					    - stage: shadow
					    - percent: 10
					    - stage: migrated
					      hold: 1m
					    - stage: canary
					    - percent: 100
					    - {stage: shadow, percent: 5}
					""")).containsExactlyInAnyOrder(
					"catalog.yml › catalog › progression.steps[1].stage: shadow can only be the first step (was shadow)",
					"catalog.yml › catalog › progression.steps[2].percent: must be higher than the step before's 50 (was 10)",
					"catalog.yml › catalog › progression.steps[3].stage: migrated can only be the last step (was migrated)",
					"catalog.yml › catalog › progression.steps[3].hold: has no meaning on the last step migrated",
					"catalog.yml › catalog › progression.steps[4].stage: a canary step is written as percent: N, "
							+ "not a stage (was canary)",
					"catalog.yml › catalog › progression.steps[5].percent: must be above 0 and below 100 "
							+ "(use stage: shadow or stage: migrated for those) (was 100)",
					"catalog.yml › catalog › progression.steps[6]: needs either a stage (shadow or migrated) "
							+ "or a percent (a canary step)");
		}

		@Test
		void aProgressionNeedsStepsAndATarget() {
			this.errorsOfRoute();
			assertThat(ProgressionParserTests.this.errors).extracting(RouteError::toString)
				.containsExactlyInAnyOrder(
						"catalog.yml › catalog › progression: needs a target: a progression carries the route to its target",
						"catalog.yml › catalog › progression.steps: needs at least two steps (was 1)");
		}

		private void errorsOfRoute() {
			ProgressionParserTests.this.parser.parse("catalog.yml", """
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    progression:
					      steps: [{stage: shadow}]
					""", ProgressionParserTests.this.errors);
		}

		@Test
		void minComparisonsBelongsToTheShadowStep() {
			assertThat(errorsOf("""
					progression:
					  steps:
					    - stage: shadow
					    - percent: 10
					      minComparisons: 5
					""")).containsExactly(
					"catalog.yml › catalog › progression.steps[1].minComparisons: is only for the shadow step");
		}

		@Test
		void missingStepsAreNamed() {
			assertThat(errorsOf("""
					progression:
					  interval: 5s
					""")).containsExactly("catalog.yml › catalog › progression.steps: is required: at least two steps, "
					+ "for example shadow, then percent: 10");
		}

	}

}
