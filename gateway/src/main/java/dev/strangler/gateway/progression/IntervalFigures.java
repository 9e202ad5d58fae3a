package dev.strangler.gateway.progression;

/**
 * What one route measured in one decision interval: its shadow comparisons, each
 * backend's requests, errors and p99, and whether the target's circuit was open.
 *
 * @param comparisons shadow comparisons that completed (match or mismatch)
 * @param mismatches those that differed
 * @param legacy legacy's requests
 * @param target the target's requests
 * @param circuitOpen whether the target's circuit breaker is open (or half open) at the
 * end of the interval
 */
public record IntervalFigures(long comparisons, long mismatches, BackendFigures legacy, BackendFigures target,
		boolean circuitOpen) {

	/** Nothing measured. */
	public static final IntervalFigures NONE = new IntervalFigures(0, 0, BackendFigures.NONE, BackendFigures.NONE,
			false);

	/**
	 * Mismatches per comparison.
	 * @return 0 to 1; 0 when nothing was compared
	 */
	public double mismatchRate() {
		return (this.comparisons == 0) ? 0 : (double) this.mismatches / this.comparisons;
	}

	@Override
	public String toString() {
		return String.format(java.util.Locale.ROOT,
				"comparisons %d, mismatches %d (%.3f%%), legacy %d requests %.3f%% 5xx p99 %.1f ms, "
						+ "target %d requests %.3f%% 5xx p99 %.1f ms%s",
				this.comparisons, this.mismatches, 100 * mismatchRate(), this.legacy.requests(),
				100 * this.legacy.errorRate(), this.legacy.p99Millis(), this.target.requests(),
				100 * this.target.errorRate(), this.target.p99Millis(),
				this.circuitOpen ? ", target circuit open" : "");
	}

}
