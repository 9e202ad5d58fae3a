package dev.strangler.gateway.rollout;

import java.util.Locale;

/**
 * The two upstreams of a route.
 */
public enum Backend {

	/** The legacy monolith. */
	LEGACY,

	/** The extracted service. */
	TARGET;

	// Computed once: metrics, headers and logs ask for it on every request.
	private final String value = name().toLowerCase(Locale.ROOT);

	/**
	 * The name used in headers and metrics.
	 * @return {@code legacy} or {@code target}
	 */
	public String value() {
		return this.value;
	}

}
