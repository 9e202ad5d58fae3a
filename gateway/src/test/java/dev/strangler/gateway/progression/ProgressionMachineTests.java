package dev.strangler.gateway.progression;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Progression;
import dev.strangler.gateway.route.Stage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProgressionMachineTests {

	private static final Duration INTERVAL = Duration.ofMinutes(1);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

	private final ProgressionMachine machine = new ProgressionMachine(this.clock);

	static Progression plan(Progression.OnFailure onFailure, boolean autoMigrate) {
		return new Progression(INTERVAL,
				List.of(new Progression.Step(Stage.SHADOW, Percent.ZERO, INTERVAL, 200),
						new Progression.Step(Stage.CANARY, Percent.parse("10"), Duration.ofMinutes(2), 0),
						new Progression.Step(Stage.CANARY, Percent.parse("50"), INTERVAL, 0),
						new Progression.Step(Stage.MIGRATED, Percent.ALL, INTERVAL, 0)),
				new Progression.Gates(0.001, 0.005, 1.5, 100), 2, 3, onFailure, autoMigrate, false);
	}

	private final Progression plan = plan(Progression.OnFailure.ROLLBACK, false);

	/** Healthy shadow interval: 150 comparisons, none differing. */
	static IntervalFigures shadow(long comparisons, long mismatches) {
		return new IntervalFigures(comparisons, mismatches, new BackendFigures(comparisons, 0, 20), BackendFigures.NONE,
				false);
	}

	/** A canary interval: legacy 900 requests, 2 errors, p99 20 ms. */
	static IntervalFigures canary(long targetRequests, long targetErrors, double targetP99) {
		return new IntervalFigures(500, 0, new BackendFigures(900, 2, 20),
				new BackendFigures(targetRequests, targetErrors, targetP99), false);
	}

	private ProgressionState started() {
		ProgressionState waiting = ProgressionState.waiting("catalog", this.clock.instant());
		assertThat(this.machine.due(this.plan, waiting)).isTrue();
		Decision start = this.machine.decide(this.plan, waiting, IntervalFigures.NONE);
		assertThat(start.result()).isEqualTo(Decision.Result.STARTED);
		assertThat(start.change()).contains(new Decision.Change(Stage.SHADOW, Percent.ZERO));
		return start.state();
	}

	private Decision after(ProgressionState state, IntervalFigures figures) {
		this.clock.advance(INTERVAL);
		assertThat(this.machine.due(this.plan, state)).isTrue();
		return this.machine.decide(this.plan, state, figures);
	}

	private ProgressionState atFirstCanaryStep() {
		ProgressionState state = after(started(), shadow(150, 0)).state();
		Decision promoted = after(state, shadow(150, 0));
		assertThat(promoted.result()).isEqualTo(Decision.Result.PROMOTED);
		return promoted.state();
	}

	@Nested
	class Promotion {

		@Test
		void aWaitingProgressionStartsAtTheFirstStepAtOnce() {
			ProgressionState state = started();
			assertThat(state.phase()).isEqualTo(Phase.RUNNING);
			assertThat(state.step()).isZero();
			assertThat(ProgressionMachineTests.this.machine.due(ProgressionMachineTests.this.plan, state)).isFalse();
			assertThat(state.nextDecisionAt(INTERVAL)).isEqualTo(Instant.parse("2026-12-03T10:01:00Z"));
		}

		@Test
		void shadowIsLeftOnlyOnceTheHoldIsServedAndEnoughComparisonsWereMade() {
			Decision first = after(started(), shadow(150, 0));
			assertThat(first.result()).isEqualTo(Decision.Result.HELD);
			assertThat(first.state().stepComparisons()).isEqualTo(150);
			assertThat(first.reason()).contains("150 of 200 comparisons");
			Decision second = after(first.state(), shadow(150, 0));
			assertThat(second.result()).isEqualTo(Decision.Result.PROMOTED);
			assertThat(second.change()).contains(new Decision.Change(Stage.CANARY, Percent.parse("10")));
			assertThat(second.state().step()).isEqualTo(1);
			assertThat(second.state().stepComparisons()).isZero();
			assertThat(second.reason()).startsWith("promoted to step 2 of 4 (canary 10%)")
				.contains("300 comparisons", "mismatch rate 0.000%");
		}

		@Test
		void aCanaryStepIsHeldUntilItsHoldIsServed() {
			ProgressionState state = atFirstCanaryStep();
			Decision first = after(state, canary(100, 0, 22));
			assertThat(first.result()).isEqualTo(Decision.Result.HELD);
			Decision second = after(first.state(), canary(100, 0, 22));
			assertThat(second.result()).isEqualTo(Decision.Result.PROMOTED);
			assertThat(second.change()).contains(new Decision.Change(Stage.CANARY, Percent.parse("50")));
		}

		@Test
		void migratedWaitsForConfirmationAndResumeConfirmsIt() {
			ProgressionState state = after(after(atFirstCanaryStep(), canary(100, 0, 20)).state(), canary(100, 0, 20))
				.state();
			Decision awaiting = after(state, canary(500, 0, 20));
			assertThat(awaiting.result()).isEqualTo(Decision.Result.AWAITING_CONFIRMATION);
			assertThat(awaiting.change()).isEmpty();
			assertThat(awaiting.state().phase()).isEqualTo(Phase.AWAITING_CONFIRMATION);
			assertThat(ProgressionMachineTests.this.machine.due(ProgressionMachineTests.this.plan, awaiting.state()))
				.isFalse();
			Decision confirmed = ProgressionMachineTests.this.machine.resume(ProgressionMachineTests.this.plan,
					awaiting.state(), "by alice");
			assertThat(confirmed.result()).isEqualTo(Decision.Result.COMPLETED);
			assertThat(confirmed.change()).contains(new Decision.Change(Stage.MIGRATED, Percent.ALL));
			assertThat(confirmed.state().phase()).isEqualTo(Phase.COMPLETED);
		}

		@Test
		void withAutoMigrateTheLastStepCompletesOnItsOwn() {
			Progression auto = plan(Progression.OnFailure.ROLLBACK, true);
			ProgressionState state = new ProgressionState("catalog", Phase.RUNNING, 2,
					ProgressionMachineTests.this.clock.instant(), ProgressionMachineTests.this.clock.instant(), 0, 0, 0,
					"", List.of());
			ProgressionMachineTests.this.clock.advance(INTERVAL);
			Decision decision = ProgressionMachineTests.this.machine.decide(auto, state, canary(500, 0, 20));
			assertThat(decision.result()).isEqualTo(Decision.Result.COMPLETED);
			assertThat(decision.change()).contains(new Decision.Change(Stage.MIGRATED, Percent.ALL));
		}

		@Test
		void aPlanEndingAtACanaryStepCompletesWhenThatStepHeld() {
			Progression twoSteps = new Progression(INTERVAL,
					List.of(new Progression.Step(Stage.SHADOW, Percent.ZERO, INTERVAL, 0),
							new Progression.Step(Stage.CANARY, Percent.parse("20"), INTERVAL, 0)),
					Progression.Gates.DEFAULT, 2, 3, Progression.OnFailure.ROLLBACK, false, false);
			ProgressionState state = new ProgressionState("catalog", Phase.RUNNING, 1,
					ProgressionMachineTests.this.clock.instant(), ProgressionMachineTests.this.clock.instant(), 0, 0, 0,
					"", List.of());
			ProgressionMachineTests.this.clock.advance(INTERVAL);
			Decision decision = ProgressionMachineTests.this.machine.decide(twoSteps, state, canary(500, 0, 20));
			assertThat(decision.result()).isEqualTo(Decision.Result.COMPLETED);
			assertThat(decision.change()).isEmpty();
		}

	}

	@Nested
	class Gates {

		@Test
		void tooManyMismatchesFailTheShadowStep() {
			Decision decision = after(started(), shadow(200, 1));
			assertThat(decision.result()).isEqualTo(Decision.Result.HELD);
			assertThat(decision.state().failures()).isEqualTo(1);
			Verdict verdict = decision.state().history().get(0);
			assertThat(verdict.result()).isEqualTo(Verdict.Result.FAIL);
			assertThat(verdict.gate()).isEqualTo("maxMismatchRate");
			assertThat(verdict.detail()).isEqualTo("mismatch rate 0.500% > 0.100% (1 of 200 comparisons)");
		}

		@Test
		void theTargetsErrorRateIsJudgedAgainstLegacys() {
			// legacy 2 of 900 (0.222 %); target 1 of 100 is 0.778 points over: fails
			Decision failing = after(atFirstCanaryStep(), canary(100, 1, 20));
			assertThat(failing.state().history()).last()
				.satisfies((verdict) -> assertThat(verdict.gate()).isEqualTo("maxErrorRateOverLegacy"));
			// target 1 of 200 (0.5 %) is 0.278 points over: passes
			Decision passing = after(atFirstCanaryStep(), canary(200, 1, 20));
			assertThat(passing.state().history()).last()
				.satisfies((verdict) -> assertThat(verdict.result()).isEqualTo(Verdict.Result.PASS));
		}

		@Test
		void theTargetsP99IsJudgedAsAMultipleOfLegacys() {
			Decision failing = after(atFirstCanaryStep(), canary(100, 0, 31));
			assertThat(failing.state().history()).last().satisfies((verdict) -> {
				assertThat(verdict.gate()).isEqualTo("maxP99OverLegacy");
				assertThat(verdict.detail()).isEqualTo("target p99 31.0 ms / legacy p99 20.0 ms = 1.55 > 1.50");
			});
			Decision passing = after(atFirstCanaryStep(), canary(100, 0, 30));
			assertThat(passing.state().history()).last()
				.satisfies((verdict) -> assertThat(verdict.result()).isEqualTo(Verdict.Result.PASS));
		}

		@Test
		void anOpenCircuitFailsTheIntervalWhateverElseWasMeasured() {
			IntervalFigures open = new IntervalFigures(500, 0, new BackendFigures(900, 0, 20),
					new BackendFigures(100, 0, 20), true);
			Decision decision = after(atFirstCanaryStep(), open);
			assertThat(decision.state().history()).last().satisfies((verdict) -> {
				assertThat(verdict.result()).isEqualTo(Verdict.Result.FAIL);
				assertThat(verdict.gate()).isEqualTo("circuit");
			});
		}

		@Test
		void tooFewTargetRequestsMakeACanaryIntervalInconclusiveNeverAPromotion() {
			ProgressionState state = atFirstCanaryStep();
			for (int i = 0; i < 2; i++) {
				Decision decision = after(state, canary(99, 0, 20));
				assertThat(decision.result()).isEqualTo(Decision.Result.HELD);
				assertThat(decision.state().history()).last()
					.satisfies((verdict) -> assertThat(verdict.result()).isEqualTo(Verdict.Result.INCONCLUSIVE));
				state = decision.state();
			}
			assertThat(state.step()).isEqualTo(1);
			assertThat(state.inconclusive()).isEqualTo(2);
		}

		@Test
		void tooFewComparisonsMakeAShadowIntervalInconclusive() {
			Decision decision = after(started(), shadow(99, 50));
			assertThat(decision.state().history()).last().satisfies((verdict) -> {
				assertThat(verdict.result()).isEqualTo(Verdict.Result.INCONCLUSIVE);
				assertThat(verdict.detail()).isEqualTo("99 comparisons < 100");
			});
		}

		@Test
		void withTooFewLegacyRequestsTheTargetIsJudgedOnItsOwnAndP99IsNotJudged() {
			IntervalFigures figures = new IntervalFigures(0, 0, new BackendFigures(10, 0, 5),
					new BackendFigures(900, 0, 400), false);
			Decision decision = after(atFirstCanaryStep(), figures);
			assertThat(decision.state().history()).last()
				.satisfies((verdict) -> assertThat(verdict.result()).isEqualTo(Verdict.Result.PASS));
		}

	}

	@Nested
	class Failures {

		@Test
		void aStepFailingFailureLimitTimesInARowIsRolledBackToShadow() {
			Decision first = after(atFirstCanaryStep(), canary(100, 5, 20));
			assertThat(first.result()).isEqualTo(Decision.Result.HELD);
			Decision second = after(first.state(), canary(100, 5, 20));
			assertThat(second.result()).isEqualTo(Decision.Result.ROLLED_BACK);
			assertThat(second.change()).contains(new Decision.Change(Stage.SHADOW, Percent.ZERO));
			assertThat(second.state().phase()).isEqualTo(Phase.ROLLED_BACK);
			assertThat(second.state().step()).isEqualTo(1);
			assertThat(second.reason())
				.startsWith("rolled back to shadow: gate failed 2 interval(s) in a row at "
						+ "step 2 of 4 (canary 10%): maxErrorRateOverLegacy: target 5xx rate 5.000% - legacy 0.222%")
				.contains("target 100 requests");
			assertThat(ProgressionMachineTests.this.machine.due(ProgressionMachineTests.this.plan, second.state()))
				.isFalse();
		}

		@Test
		void aPassingIntervalResetsTheFailureCount() {
			Decision failing = after(atFirstCanaryStep(), canary(100, 5, 20));
			Decision passing = after(failing.state(), canary(100, 0, 20));
			assertThat(passing.state().failures()).isZero();
			Decision failingAgain = after(passing.state(), canary(100, 5, 20));
			assertThat(failingAgain.result()).isEqualTo(Decision.Result.HELD);
		}

		@Test
		void withOnFailurePauseTheRouteStaysWhereItIs() {
			Progression pausing = plan(Progression.OnFailure.PAUSE, false);
			ProgressionState state = new ProgressionState("catalog", Phase.RUNNING, 1,
					ProgressionMachineTests.this.clock.instant(), ProgressionMachineTests.this.clock.instant(), 1, 0, 0,
					"", List.of());
			ProgressionMachineTests.this.clock.advance(INTERVAL);
			Decision decision = ProgressionMachineTests.this.machine.decide(pausing, state, canary(100, 5, 20));
			assertThat(decision.result()).isEqualTo(Decision.Result.PAUSED);
			assertThat(decision.change()).isEmpty();
			assertThat(decision.state().phase()).isEqualTo(Phase.PAUSED);
		}

		@Test
		void inconclusiveLimitIntervalsInARowPause() {
			ProgressionState state = atFirstCanaryStep();
			Decision decision = null;
			for (int i = 0; i < 3; i++) {
				decision = after(state, canary(5, 0, 20));
				state = decision.state();
			}
			assertThat(decision.result()).isEqualTo(Decision.Result.PAUSED);
			assertThat(decision.reason()).startsWith("paused: 3 inconclusive interval(s) in a row at step 2 of 4");
			assertThat(decision.change()).isEmpty();
		}

		@Test
		void aRolledBackProgressionRestartsAtTheFirstStepOnResume() {
			ProgressionState rolledBack = after(after(atFirstCanaryStep(), canary(100, 5, 20)).state(),
					canary(100, 5, 20))
				.state();
			Decision resumed = ProgressionMachineTests.this.machine.resume(ProgressionMachineTests.this.plan,
					rolledBack, "by alice");
			assertThat(resumed.state().phase()).isEqualTo(Phase.RUNNING);
			assertThat(resumed.state().step()).isZero();
			assertThat(resumed.change()).contains(new Decision.Change(Stage.SHADOW, Percent.ZERO));
		}

	}

	@Nested
	class OperatorCommands {

		@Test
		void aManualOverridePausesARunningProgression() {
			ProgressionState state = atFirstCanaryStep();
			Decision decision = ProgressionMachineTests.this.machine
				.overridden(ProgressionMachineTests.this.plan, state, "alice")
				.orElseThrow();
			assertThat(decision.state().phase()).isEqualTo(Phase.PAUSED);
			assertThat(decision.change()).isEmpty();
			assertThat(decision.reason()).isEqualTo("paused at step 2 of 4 (canary 10%): override set by alice");
			assertThat(ProgressionMachineTests.this.machine.due(ProgressionMachineTests.this.plan, decision.state()))
				.isFalse();
			assertThat(ProgressionMachineTests.this.machine.overridden(ProgressionMachineTests.this.plan,
					decision.state(), "bob"))
				.isEmpty();
		}

		@Test
		void resumeSetsTheStepAgainWithFreshCounts() {
			ProgressionState failing = after(atFirstCanaryStep(), canary(100, 5, 20)).state();
			ProgressionState paused = ProgressionMachineTests.this.machine
				.pause(ProgressionMachineTests.this.plan, failing, "by alice")
				.state();
			Decision resumed = ProgressionMachineTests.this.machine.resume(ProgressionMachineTests.this.plan, paused,
					"by alice");
			assertThat(resumed.result()).isEqualTo(Decision.Result.RESUMED);
			assertThat(resumed.change()).contains(new Decision.Change(Stage.CANARY, Percent.parse("10")));
			assertThat(resumed.state().failures()).isZero();
			assertThat(resumed.state().stepStartedAt()).isEqualTo(ProgressionMachineTests.this.clock.instant());
		}

		@Test
		void skipMovesToTheNextStepWhateverTheEvidence() {
			Decision skipped = ProgressionMachineTests.this.machine.skip(ProgressionMachineTests.this.plan, started(),
					"by alice");
			assertThat(skipped.change()).contains(new Decision.Change(Stage.CANARY, Percent.parse("10")));
			assertThat(skipped.reason()).isEqualTo("skipped to step 2 of 4 (canary 10%): by alice");
		}

		@Test
		void abortStopsForGoodAndLeavesTheOverride() {
			Decision aborted = ProgressionMachineTests.this.machine.abort(ProgressionMachineTests.this.plan,
					atFirstCanaryStep(), "by alice");
			assertThat(aborted.state().phase()).isEqualTo(Phase.ABORTED);
			assertThat(aborted.change()).isEmpty();
			assertThatExceptionOfType(ProgressionMachine.NotAllowed.class)
				.isThrownBy(() -> ProgressionMachineTests.this.machine.resume(ProgressionMachineTests.this.plan,
						aborted.state(), "x"))
				.withMessageContaining("aborted");
			assertThatExceptionOfType(ProgressionMachine.NotAllowed.class)
				.isThrownBy(() -> ProgressionMachineTests.this.machine.abort(ProgressionMachineTests.this.plan,
						aborted.state(), "x"));
			assertThatExceptionOfType(ProgressionMachine.NotAllowed.class)
				.isThrownBy(() -> ProgressionMachineTests.this.machine.skip(ProgressionMachineTests.this.plan,
						aborted.state(), "x"));
			assertThatExceptionOfType(ProgressionMachine.NotAllowed.class)
				.isThrownBy(() -> ProgressionMachineTests.this.machine.pause(ProgressionMachineTests.this.plan,
						aborted.state(), "x"));
		}

		@Test
		void aRunningProgressionCannotBeResumed() {
			assertThatExceptionOfType(ProgressionMachine.NotAllowed.class)
				.isThrownBy(() -> ProgressionMachineTests.this.machine.resume(ProgressionMachineTests.this.plan,
						started(), "x"))
				.withMessageContaining("running");
		}

	}

}
