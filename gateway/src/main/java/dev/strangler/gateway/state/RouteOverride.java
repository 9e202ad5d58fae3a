package dev.strangler.gateway.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;

/**
 * An operator's run-time choice of stage and percent for one route, which wins over the
 * route file until cleared.
 *
 * @param routeId the route it applies to
 * @param stage the overriding stage, empty to keep the route file's
 * @param percent the overriding rollout percent, empty to keep the route file's
 * @param who who set it
 * @param when when it was set
 * @param reason why, as given by the operator (may be empty)
 */
public record RouteOverride(String routeId, Optional<Stage> stage, Optional<Percent> percent, String who, Instant when,
		String reason) {

	// Route ids as DESIGN section 3 defines them.
	private static final Pattern ROUTE_ID = Pattern.compile("[a-z0-9-]+");

	public RouteOverride {
		Objects.requireNonNull(routeId, "routeId");
		if (!ROUTE_ID.matcher(routeId).matches()) {
			throw new IllegalArgumentException("routeId must match [a-z0-9-]+ (was '" + routeId + "')");
		}
		Objects.requireNonNull(who, "who");
		Objects.requireNonNull(when, "when");
		Objects.requireNonNull(reason, "reason");
		new OverrideSettings(stage, percent);
	}

	/**
	 * Creates an override from its settings.
	 * @param routeId the route
	 * @param settings the stage and percent
	 * @param who who set it
	 * @param when when
	 * @param reason why
	 * @return the override
	 */
	public static RouteOverride of(String routeId, OverrideSettings settings, String who, Instant when, String reason) {
		return new RouteOverride(routeId, settings.stage(), settings.percent(), who, when, reason);
	}

	/**
	 * Returns what this override changes, without who, when and why.
	 * @return the settings
	 */
	public OverrideSettings settings() {
		return new OverrideSettings(this.stage, this.percent);
	}

}
