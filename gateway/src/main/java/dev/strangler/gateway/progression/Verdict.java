package dev.strangler.gateway.progression;

import java.time.Instant;

/**
 * How one interval was judged, and why.
 *
 * @param from start of the interval
 * @param to end of the interval
 * @param step the step index the route was at
 * @param figures what was measured
 * @param result pass, fail or inconclusive
 * @param gate the gate that decided ({@code all} when every gate passed)
 * @param detail the gate's figures against its limit
 */
public record Verdict(Instant from, Instant to, int step, IntervalFigures figures, Result result, String gate,
		String detail) {

	/**
	 * The outcome of an interval.
	 */
	public enum Result {

		/** Every gate passed with enough evidence. */
		PASS,

		/** A gate failed. */
		FAIL,

		/** Too little evidence to judge. */
		INCONCLUSIVE

	}

}
