package dev.strangler.gateway.route;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a route stands in its migration: who serves it and what is mirrored.
 */
public enum Stage {

	/** Served by legacy, nothing mirrored. */
	LEGACY(false),

	/** Served by legacy, a share mirrored to the target and compared. */
	SHADOW(true),

	/** A sticky share served by the target, the rest by legacy. */
	CANARY(true),

	/** Served by the target (legacy only as fallback). */
	MIGRATED(true);

	private final boolean needsTarget;

	// Computed once: metrics, headers and logs ask for it on every request.
	private final String value;

	Stage(boolean needsTarget) {
		this.needsTarget = needsTarget;
		this.value = name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether a route in this stage must name a target.
	 * @return {@code true} for every stage but {@code legacy}
	 */
	public boolean needsTarget() {
		return this.needsTarget;
	}

	/**
	 * The name used in route files and headers.
	 * @return the lower-case name
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Parses a stage as written in a route file (case-insensitive).
	 * @param text the stage name
	 * @return the stage
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Stage parse(String text) {
		for (Stage stage : values()) {
			if (stage.name().equalsIgnoreCase(text.trim())) {
				return stage;
			}
		}
		throw new IllegalArgumentException("must be one of " + names());
	}

	static String names() {
		return Arrays.stream(values()).map(Stage::value).collect(Collectors.joining(", "));
	}

}
