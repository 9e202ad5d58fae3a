package dev.strangler.gateway.evidence;

/**
 * Shadow comparison counts of one route over some time.
 *
 * @param match compared and equal under the route's rules
 * @param mismatch compared and different
 * @param error mirrored calls that failed
 * @param skipped mirrors not compared (bodies too large, streamed)
 * @param dropped mirrors never sent because the in-flight limit was reached
 */
public record ShadowFigures(long match, long mismatch, long error, long skipped, long dropped) {

	/** Nothing mirrored. */
	public static final ShadowFigures NONE = new ShadowFigures(0, 0, 0, 0, 0);

	/**
	 * Mirrors whose answers were compared.
	 * @return matches plus mismatches
	 */
	public long compared() {
		return this.match + this.mismatch;
	}

	/**
	 * The share of compared answers that differed.
	 * @return {@code mismatch / compared}, 0 when nothing was compared
	 */
	public double mismatchRate() {
		long compared = compared();
		return (compared > 0) ? (double) this.mismatch / compared : 0;
	}

	ShadowFigures plus(ShadowFigures other) {
		return new ShadowFigures(this.match + other.match, this.mismatch + other.mismatch, this.error + other.error,
				this.skipped + other.skipped, this.dropped + other.dropped);
	}

}
