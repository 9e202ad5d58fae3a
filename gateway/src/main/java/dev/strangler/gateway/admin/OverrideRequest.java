package dev.strangler.gateway.admin;

import java.util.Optional;
import java.util.OptionalLong;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.OverrideSettings;

import org.springframework.lang.Nullable;

/**
 * The body of {@code POST /actuator/migration/{id}}, validated: a stage, a percent or
 * both, and an optional reason.
 *
 * <pre class="code">
 * OverrideRequest.parse("canary", "25", "ramp up").settings(); // canary at 25 %
 * OverrideRequest.parse("blue", null, null);                  // InvalidField: stage
 * </pre>
 *
 * @param settings the stage and percent to set
 * @param reason why, empty when not given
 */
record OverrideRequest(OverrideSettings settings, String reason) {

	/** Longest reason kept; the audit trail is append-only, so bound what goes in. */
	static final int MAX_REASON = 500;

	/**
	 * Validates the body's fields as the actuator hands them over (JSON scalars as text).
	 * @param stage {@code legacy | shadow | canary | migrated}, or {@code null}
	 * @param percent 0..100 with at most two decimals, or {@code null}
	 * @param reason free text, or {@code null}
	 * @return the request
	 * @throws InvalidField naming the first field that is wrong
	 */
	static OverrideRequest parse(@Nullable String stage, @Nullable String percent, @Nullable String reason) {
		Optional<Stage> parsedStage = Optional.empty();
		Optional<Percent> parsedPercent = Optional.empty();
		if (stage != null) {
			try {
				parsedStage = Optional.of(Stage.parse(stage));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidField("stage", ex.getMessage() + " (was '" + stage + "')");
			}
		}
		if (percent != null) {
			try {
				parsedPercent = Optional.of(Percent.parse(percent));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidField("percent", ex.getMessage() + " (was '" + percent + "')");
			}
		}
		if (reason != null && reason.length() > MAX_REASON) {
			throw new InvalidField("reason",
					"must be at most " + MAX_REASON + " characters (was " + reason.length() + ")");
		}
		if (parsedStage.isEmpty() && parsedPercent.isEmpty()) {
			throw new InvalidField("body", "must set stage, percent or both, as in "
					+ "{\"stage\":\"canary\",\"percent\":25,\"reason\":\"...\"}");
		}
		return new OverrideRequest(new OverrideSettings(parsedStage, parsedPercent), (reason != null) ? reason : "");
	}

	/**
	 * Validates the route revision a change is based on.
	 * @param revision a non-negative integer, or {@code null} to change whatever is
	 * current
	 * @return the revision, empty when not given
	 * @throws InvalidField {@code revision} when it is not a non-negative integer
	 */
	static OptionalLong revision(@Nullable String revision) {
		if (revision == null) {
			return OptionalLong.empty();
		}
		try {
			long value = Long.parseLong(revision);
			if (value >= 0) {
				return OptionalLong.of(value);
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new InvalidField("revision",
				"must be the route's revision as GET shows it, a non-negative integer (was '" + revision + "')");
	}

	/**
	 * A field of the body that is wrong.
	 */
	static final class InvalidField extends RuntimeException {

		private final String field;

		InvalidField(String field, String message) {
			super(message);
			this.field = field;
		}

		String field() {
			return this.field;
		}

	}

}
