package dev.strangler.gateway.state;

import java.util.Map;
import java.util.Optional;

/**
 * Every override at one revision of the store; immutable, so a router can hold it and
 * swap it for a newer one atomically.
 *
 * @param revision increases by one with every committed change; a listener that may see
 * snapshots out of order keeps the highest
 * @param overrides the overrides by route id
 */
public record OverrideSnapshot(long revision, Map<String, RouteOverride> overrides) {

	/** The snapshot of an empty store. */
	public static final OverrideSnapshot EMPTY = new OverrideSnapshot(0, Map.of());

	public OverrideSnapshot {
		overrides = Map.copyOf(overrides);
	}

	/**
	 * Returns the override of one route.
	 * @param routeId the route id
	 * @return its override, empty when the route file applies as written
	 */
	public Optional<RouteOverride> get(String routeId) {
		return Optional.ofNullable(this.overrides.get(routeId));
	}

}
