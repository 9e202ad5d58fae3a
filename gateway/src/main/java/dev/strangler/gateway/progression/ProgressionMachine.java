package dev.strangler.gateway.progression;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Progression;
import dev.strangler.gateway.route.Stage;

/**
 * The progression state machine, free of I/O: given a plan, the state and an interval's
 * figures (or an operator's command) it returns the next state, the override to set and
 * why. The controller applies what it returns; tests script the figures and the clock.
 *
 * <pre class="code">
 * ProgressionMachine machine = new ProgressionMachine(clock);
 * Decision decision = machine.decide(plan, state, figures);
 * decision.change(); // e.g. canary 10%, reason "promoted: every gate passed ..."
 * </pre>
 *
 * waiting → running step i → (promoted) running step i+1 … → completed; a step whose
 * gates fail {@code failureLimit} intervals in a row → rolled back (or paused, with
 * {@code onFailure: pause}); {@code inconclusiveLimit} inconclusive intervals in a row →
 * paused; the last step {@code migrated} → awaiting confirmation unless
 * {@code autoMigrate}.
 */
public final class ProgressionMachine {

	private final Clock clock;

	/**
	 * Creates the machine.
	 * @param clock the time decisions are stamped with
	 */
	public ProgressionMachine(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Whether an interval has ended and a decision is due.
	 * @param plan the route's progression
	 * @param state its state
	 * @return {@code true} when running (or waiting) and the interval is over
	 */
	public boolean due(Progression plan, ProgressionState state) {
		return (state.phase() == Phase.RUNNING || state.phase() == Phase.WAITING)
				&& !this.clock.instant().isBefore(state.nextDecisionAt(plan.interval()));
	}

	/**
	 * Takes the decision of an interval that ended: starts a waiting progression, else
	 * judges the figures and holds, promotes, rolls back, pauses or completes.
	 * @param plan the route's progression
	 * @param state its state, running or waiting
	 * @param figures what was measured since {@link ProgressionState#lastDecisionAt()}
	 * @return the decision
	 */
	public Decision decide(Progression plan, ProgressionState state, IntervalFigures figures) {
		Instant now = this.clock.instant();
		if (state.phase() == Phase.WAITING) {
			return moveTo(plan, state, 0, Phase.RUNNING, Decision.Result.STARTED, "started at the first step", now);
		}
		if (state.phase() != Phase.RUNNING) {
			throw new IllegalStateException("no decision is taken in phase " + state.phase().value());
		}
		Progression.Step step = plan.steps().get(state.step());
		Verdict verdict = IntervalJudge.judge(plan.gates(), step, state.step(), figures, state.lastDecisionAt(), now);
		String evidence = verdict.gate() + ": " + verdict.detail() + " [" + figures + "]";
		return switch (verdict.result()) {
			case FAIL -> failed(plan, state, verdict, evidence, now);
			case INCONCLUSIVE -> inconclusive(plan, state, verdict, evidence, now);
			case PASS -> passed(plan, state, verdict, evidence, now);
		};
	}

	private Decision failed(Progression plan, ProgressionState state, Verdict verdict, String evidence, Instant now) {
		int failures = state.failures() + 1;
		ProgressionState judged = state.judged(verdict, failures, state.inconclusive(), state.stepComparisons(),
				"failing " + failures + " of " + plan.failureLimit() + ": " + evidence);
		if (failures < plan.failureLimit()) {
			return held(judged);
		}
		String why = "gate failed " + failures + " interval(s) in a row at " + step(plan, state.step()) + ": "
				+ evidence;
		if (plan.onFailure() == Progression.OnFailure.PAUSE) {
			return new Decision(judged.withPhase(Phase.PAUSED, "paused: " + why, now), Decision.Result.PAUSED,
					Optional.empty(), "paused: " + why);
		}
		String reason = "rolled back to shadow: " + why;
		return new Decision(judged.withPhase(Phase.ROLLED_BACK, reason, now), Decision.Result.ROLLED_BACK,
				Optional.of(new Decision.Change(Stage.SHADOW, Percent.ZERO)), reason);
	}

	private Decision inconclusive(Progression plan, ProgressionState state, Verdict verdict, String evidence,
			Instant now) {
		int inconclusive = state.inconclusive() + 1;
		ProgressionState judged = state.judged(verdict, state.failures(), inconclusive, state.stepComparisons(),
				"inconclusive " + inconclusive + " of " + plan.inconclusiveLimit() + ": " + evidence);
		if (inconclusive < plan.inconclusiveLimit()) {
			return held(judged);
		}
		String reason = "paused: " + inconclusive + " inconclusive interval(s) in a row at " + step(plan, state.step())
				+ ": " + evidence;
		return new Decision(judged.withPhase(Phase.PAUSED, reason, now), Decision.Result.PAUSED, Optional.empty(),
				reason);
	}

	private Decision passed(Progression plan, ProgressionState state, Verdict verdict, String evidence, Instant now) {
		Progression.Step step = plan.steps().get(state.step());
		long comparisons = state.stepComparisons() + verdict.figures().comparisons();
		Duration held = Duration.between(state.stepStartedAt(), now);
		boolean holdServed = held.compareTo(step.hold()) >= 0;
		boolean enoughComparisons = comparisons >= step.minComparisons();
		String progress = "passing at " + step(plan, state.step()) + " for " + held.toSeconds() + " s of "
				+ step.hold().toSeconds() + " s, " + comparisons + " of " + step.minComparisons() + " comparisons";
		ProgressionState judged = state.judged(verdict, 0, 0, comparisons, progress + ": " + evidence);
		if (!holdServed || !enoughComparisons) {
			return held(judged);
		}
		int next = state.step() + 1;
		if (next == plan.steps().size()) {
			String reason = "completed: the last step " + step(plan, state.step()) + " held; " + evidence;
			return new Decision(judged.withPhase(Phase.COMPLETED, reason, now), Decision.Result.COMPLETED,
					Optional.empty(), reason);
		}
		String why = step(plan, state.step()) + " held " + held.toSeconds() + " s with " + comparisons
				+ " comparisons; " + evidence;
		if (plan.steps().get(next).stage() == Stage.MIGRATED && !plan.autoMigrate()) {
			String reason = "awaiting confirmation to migrate: " + why;
			return new Decision(judged.withPhase(Phase.AWAITING_CONFIRMATION, reason, now),
					Decision.Result.AWAITING_CONFIRMATION, Optional.empty(), reason);
		}
		return moveTo(plan, judged, next, Phase.RUNNING, Decision.Result.PROMOTED,
				"promoted to " + step(plan, next) + ": " + why, now);
	}

	/**
	 * Pauses a progression that is waiting, running or awaiting confirmation.
	 * @param plan the route's progression
	 * @param state its state
	 * @param why who paused it and why
	 * @return the decision
	 * @throws NotAllowed when the phase cannot be paused
	 */
	public Decision pause(Progression plan, ProgressionState state, String why) {
		if (state.phase() != Phase.RUNNING && state.phase() != Phase.WAITING
				&& state.phase() != Phase.AWAITING_CONFIRMATION) {
			throw new NotAllowed("the progression is " + state.phase().value() + ", so it cannot be paused");
		}
		String reason = "paused at " + step(plan, state.step()) + ": " + why;
		return new Decision(state.withPhase(Phase.PAUSED, reason, this.clock.instant()), Decision.Result.PAUSED,
				Optional.empty(), reason);
	}

	/**
	 * Pauses a progression because an override was set by someone else: the operator took
	 * over. A progression that is not running is left as it is.
	 * @param plan the route's progression
	 * @param state its state
	 * @param who who set the override
	 * @return the decision, empty when nothing changes
	 */
	public Optional<Decision> overridden(Progression plan, ProgressionState state, String who) {
		if (state.phase() != Phase.RUNNING && state.phase() != Phase.AWAITING_CONFIRMATION) {
			return Optional.empty();
		}
		return Optional.of(pause(plan, state, "override set by " + who));
	}

	/**
	 * Ends a step because the automatic rollback sent the route back to legacy (its
	 * target circuit opened): that is a failing interval beyond doubt, so the progression
	 * is rolled back, not merely paused. The route keeps the rollback's override, which
	 * already serves everything from legacy. A progression that is not running is left as
	 * it is.
	 * @param plan the route's progression
	 * @param state its state
	 * @param why what the rollback said
	 * @return the decision, empty when nothing changes
	 */
	public Optional<Decision> rolledBackAutomatically(Progression plan, ProgressionState state, String why) {
		if (state.phase() != Phase.RUNNING && state.phase() != Phase.AWAITING_CONFIRMATION) {
			return Optional.empty();
		}
		String reason = "rolled back at " + step(plan, state.step()) + ": the automatic rollback set the route to "
				+ "legacy (" + why + ")";
		return Optional.of(new Decision(state.withPhase(Phase.ROLLED_BACK, reason, this.clock.instant()),
				Decision.Result.ROLLED_BACK, Optional.empty(), reason));
	}

	/**
	 * Resumes a paused progression at its step (the step's override is set again, fresh
	 * counts and hold); confirms a progression awaiting confirmation (the route is
	 * migrated); restarts a rolled-back one at the first step.
	 * @param plan the route's progression
	 * @param state its state
	 * @param why who resumed it and why
	 * @return the decision
	 * @throws NotAllowed when the phase cannot be resumed
	 */
	public Decision resume(Progression plan, ProgressionState state, String why) {
		Instant now = this.clock.instant();
		return switch (state.phase()) {
			case PAUSED -> moveTo(plan, state, state.step(), Phase.RUNNING, Decision.Result.RESUMED,
					"resumed at " + step(plan, state.step()) + ": " + why, now);
			case ROLLED_BACK -> moveTo(plan, state, 0, Phase.RUNNING, Decision.Result.RESUMED,
					"restarted at " + step(plan, 0) + " after a rollback: " + why, now);
			case AWAITING_CONFIRMATION -> moveTo(plan, state, state.step() + 1, Phase.RUNNING, Decision.Result.PROMOTED,
					"migration confirmed: " + why, now);
			default -> throw new NotAllowed("the progression is " + state.phase().value() + ", not paused, "
					+ "rolled back or awaiting confirmation, so there is nothing to resume");
		};
	}

	/**
	 * Moves the route to the next step now, whatever its evidence (an operator's call,
	 * which also confirms the step migrated).
	 * @param plan the route's progression
	 * @param state its state
	 * @param why who skipped and why
	 * @return the decision
	 * @throws NotAllowed when finished, rolled back or at the last step
	 */
	public Decision skip(Progression plan, ProgressionState state, String why) {
		if (state.phase().finished() || state.phase() == Phase.ROLLED_BACK) {
			throw new NotAllowed("the progression is " + state.phase().value() + ", so no step can be skipped");
		}
		int next = (state.phase() == Phase.WAITING) ? 0 : state.step() + 1;
		if (next >= plan.steps().size()) {
			throw new NotAllowed("the route is at the last step " + step(plan, state.step()) + ": nothing to skip to");
		}
		return moveTo(plan, state, next, Phase.RUNNING, Decision.Result.PROMOTED,
				"skipped to " + step(plan, next) + ": " + why, this.clock.instant());
	}

	/**
	 * Stops a progression for good; the route keeps the override it has.
	 * @param plan the route's progression
	 * @param state its state
	 * @param why who aborted it and why
	 * @return the decision
	 * @throws NotAllowed when already finished
	 */
	public Decision abort(Progression plan, ProgressionState state, String why) {
		if (state.phase().finished()) {
			throw new NotAllowed("the progression is already " + state.phase().value());
		}
		String reason = "aborted at " + step(plan, state.step()) + ": " + why;
		return new Decision(state.withPhase(Phase.ABORTED, reason, this.clock.instant()), Decision.Result.ABORTED,
				Optional.empty(), reason);
	}

	private Decision moveTo(Progression plan, ProgressionState state, int index, Phase phase, Decision.Result result,
			String reason, Instant now) {
		Progression.Step step = plan.steps().get(index);
		boolean last = index == plan.steps().size() - 1 && step.stage() == Stage.MIGRATED;
		ProgressionState next = state.atStep(last ? Phase.COMPLETED : phase, index, reason, now);
		return new Decision(next, last ? Decision.Result.COMPLETED : result,
				Optional.of(new Decision.Change(step.stage(), step.percent())), reason);
	}

	private static Decision held(ProgressionState judged) {
		return new Decision(judged, Decision.Result.HELD, Optional.empty(), judged.reason());
	}

	private static String step(Progression plan, int index) {
		return "step " + (index + 1) + " of " + plan.steps().size() + " (" + plan.steps().get(index) + ")";
	}

	/**
	 * An operator's command that the progression's phase does not allow; nothing changed.
	 */
	public static final class NotAllowed extends RuntimeException {

		NotAllowed(String message) {
			super(message);
		}

	}

}
