package dev.strangler.gateway.progression;

import java.util.Locale;

/**
 * Where a route's progression stands.
 */
public enum Phase {

	/** Not started yet: the first decision puts the route on the first step. */
	WAITING,

	/** At a step, judged every interval. */
	RUNNING,

	/** Every step but {@code migrated} passed; an operator's confirmation is awaited. */
	AWAITING_CONFIRMATION,

	/**
	 * Stopped at a step by an operator, a manual override or too many inconclusive
	 * intervals.
	 */
	PAUSED,

	/** Sent back to the first stage after its gates failed; an operator may resume. */
	ROLLED_BACK,

	/** The last step was reached. */
	COMPLETED,

	/** Stopped for good by an operator; the overrides are left as they are. */
	ABORTED;

	/**
	 * Whether no decision will be taken any more (only an operator can start again).
	 * @return {@code true} for completed and aborted
	 */
	public boolean finished() {
		return this == COMPLETED || this == ABORTED;
	}

	/**
	 * The name the admin API and metrics use.
	 * @return lower case, dashes
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
