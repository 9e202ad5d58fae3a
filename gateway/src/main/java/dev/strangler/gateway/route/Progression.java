package dev.strangler.gateway.route;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A route's progressive delivery plan (the route file's {@code progression} block): the
 * steps the route is carried through, how often a decision is made, the gates each
 * interval's evidence must pass and what happens when it does not. Immutable; validated
 * by the route file parser (docs/progressive-delivery.md).
 *
 * <pre class="code">
 * progression.steps().get(1).percent(); // 1, the first canary step
 * progression.gates().maxMismatchRate(); // 0.001 for 0.1%
 * </pre>
 *
 * @param interval how often a decision is made
 * @param steps the steps in order: an optional {@code shadow} first, canary percents
 * rising, an optional {@code migrated} last; at least two
 * @param gates what an interval's evidence must pass
 * @param failureLimit consecutive failing intervals that end a step
 * @param inconclusiveLimit consecutive inconclusive intervals that pause the progression
 * @param onFailure what a step that failed {@code failureLimit} times leads to
 * @param autoMigrate whether the last step {@code migrated} is taken without an
 * operator's confirmation
 * @param dryRun whether decisions are only computed and audited as "would ...", never
 * applied
 */
public record Progression(Duration interval, List<Step> steps, Gates gates, int failureLimit, int inconclusiveLimit,
		OnFailure onFailure, boolean autoMigrate, boolean dryRun) {

	/** Default decision interval: one minute. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

	/** Default consecutive failing intervals that end a step. */
	public static final int DEFAULT_FAILURE_LIMIT = 2;

	/** Default consecutive inconclusive intervals that pause. */
	public static final int DEFAULT_INCONCLUSIVE_LIMIT = 5;

	public Progression {
		steps = List.copyOf(steps);
	}

	/**
	 * One step of a progression.
	 *
	 * @param stage {@code shadow}, {@code canary} (a step written with a percent) or
	 * {@code migrated}
	 * @param percent the canary share; 0 for shadow, 100 for migrated
	 * @param hold least time spent at this step before the next
	 * @param minComparisons shadow comparisons needed at this step before the next
	 */
	public record Step(Stage stage, Percent percent, Duration hold, long minComparisons) {

		@Override
		public String toString() {
			return (this.stage == Stage.CANARY) ? "canary " + this.percent + "%" : this.stage.value();
		}

	}

	/**
	 * The gates every interval is judged by. Rates are fractions (0.001 is 0.1 %).
	 *
	 * @param maxMismatchRate most shadow mismatches per comparison
	 * @param maxErrorRateOverLegacy most the target's 5xx rate may exceed legacy's
	 * @param maxP99OverLegacy most the target's p99 may be as a multiple of legacy's
	 * @param minRequests fewer requests (comparisons in shadow, target requests in
	 * canary) make an interval inconclusive
	 */
	public record Gates(double maxMismatchRate, double maxErrorRateOverLegacy, double maxP99OverLegacy,
			long minRequests) {

		/** Defaults: 0.1 %, 0.5 %, 1.5, 100. */
		public static final Gates DEFAULT = new Gates(0.001, 0.005, 1.5, 100);

	}

	/**
	 * What a step that failed its gates {@code failureLimit} times in a row leads to.
	 */
	public enum OnFailure {

		/** Back to the first step's stage (shadow: legacy serves everything). */
		ROLLBACK,

		/** Stay where it is and wait for an operator (writes that cannot be undone). */
		PAUSE;

		/**
		 * The name used in route files.
		 * @return the lower-case name
		 */
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
