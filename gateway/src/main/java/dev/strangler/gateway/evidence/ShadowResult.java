package dev.strangler.gateway.evidence;

/**
 * What became of one mirrored request, as evidence counts it.
 */
public enum ShadowResult {

	/** Compared and equal. */
	MATCH,

	/** Compared and different. */
	MISMATCH,

	/** The mirrored call failed. */
	ERROR,

	/** Not compared. */
	SKIPPED,

	/** Never sent: the in-flight limit was reached. */
	DROPPED

}
