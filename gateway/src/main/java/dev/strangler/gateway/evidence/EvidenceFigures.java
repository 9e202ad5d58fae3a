package dev.strangler.gateway.evidence;

/**
 * What one route did over some time: its shadow comparisons and the requests of each
 * backend.
 *
 * @param shadow shadow comparison counts
 * @param legacy requests served by the legacy backend
 * @param target requests served by the target backend
 */
public record EvidenceFigures(ShadowFigures shadow, BackendFigures legacy, BackendFigures target) {

	/** Nothing happened. */
	public static final EvidenceFigures NONE = new EvidenceFigures(ShadowFigures.NONE, BackendFigures.NONE,
			BackendFigures.NONE);

	/**
	 * These figures and others added up.
	 * @param other the other figures
	 * @return the sum
	 */
	public EvidenceFigures plus(EvidenceFigures other) {
		return new EvidenceFigures(this.shadow.plus(other.shadow), this.legacy.plus(other.legacy),
				this.target.plus(other.target));
	}

}
