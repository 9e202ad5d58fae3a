package dev.strangler.gateway.progression;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.springframework.lang.Nullable;

/**
 * Where one route's progression stands, as persisted between decisions so a restart
 * resumes at the same step with the same counts. Immutable.
 *
 * @param routeId the route
 * @param phase the phase
 * @param step index of the step the route is at (0 while waiting)
 * @param stepStartedAt when the route reached that step; {@code null} while waiting
 * @param lastDecisionAt when the last decision was taken: the start of the interval now
 * being measured
 * @param failures consecutive failing intervals at this step
 * @param inconclusive consecutive inconclusive intervals at this step
 * @param stepComparisons shadow comparisons in the passing intervals at this step
 * @param reason why the phase is what it is (the last decision's explanation)
 * @param history the latest verdicts, oldest first, at most {@value #HISTORY}
 */
public record ProgressionState(String routeId, Phase phase, int step, @Nullable Instant stepStartedAt,
		Instant lastDecisionAt, int failures, int inconclusive, long stepComparisons, String reason,
		List<Verdict> history) {

	/** Verdicts kept. */
	public static final int HISTORY = 10;

	public ProgressionState {
		Objects.requireNonNull(routeId, "routeId");
		Objects.requireNonNull(phase, "phase");
		Objects.requireNonNull(lastDecisionAt, "lastDecisionAt");
		Objects.requireNonNull(reason, "reason");
		history = List.copyOf(history);
	}

	/**
	 * A progression that has not started.
	 * @param routeId the route
	 * @param now the time
	 * @return the state
	 */
	public static ProgressionState waiting(String routeId, Instant now) {
		return new ProgressionState(routeId, Phase.WAITING, 0, null, now, 0, 0, 0, "not started", List.of());
	}

	/**
	 * When the next decision is due.
	 * @param interval the progression's interval
	 * @return the instant
	 */
	public Instant nextDecisionAt(Duration interval) {
		return (this.phase == Phase.WAITING) ? this.lastDecisionAt : this.lastDecisionAt.plus(interval);
	}

	ProgressionState withPhase(Phase phase, String reason, Instant now) {
		return new ProgressionState(this.routeId, phase, this.step, this.stepStartedAt, now, this.failures,
				this.inconclusive, this.stepComparisons, reason, this.history);
	}

	ProgressionState atStep(Phase phase, int step, String reason, Instant now) {
		return new ProgressionState(this.routeId, phase, step, now, now, 0, 0, 0, reason, this.history);
	}

	ProgressionState judged(Verdict verdict, int failures, int inconclusive, long stepComparisons, String reason) {
		List<Verdict> verdicts = new ArrayList<>(this.history);
		verdicts.add(verdict);
		if (verdicts.size() > HISTORY) {
			verdicts.subList(0, verdicts.size() - HISTORY).clear();
		}
		return new ProgressionState(this.routeId, this.phase, this.step, this.stepStartedAt, verdict.to(), failures,
				inconclusive, stepComparisons, reason, verdicts);
	}

}
