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
 * @param routeRevisions by route id, how many changes of that route were committed
 * (setting and clearing both count); a route never changed is at revision 0. An operator
 * may send the revision of the route they saw with a change, which is then refused if
 * another change came in between
 */
public record OverrideSnapshot(long revision, Map<String, RouteOverride> overrides, Map<String, Long> routeRevisions) {

	/** The snapshot of an empty store. */
	public static final OverrideSnapshot EMPTY = new OverrideSnapshot(0, Map.of());

	public OverrideSnapshot {
		overrides = Map.copyOf(overrides);
		routeRevisions = Map.copyOf(routeRevisions);
	}

	/**
	 * A snapshot without route revisions (every route at 0).
	 * @param revision the store's revision
	 * @param overrides the overrides by route id
	 */
	public OverrideSnapshot(long revision, Map<String, RouteOverride> overrides) {
		this(revision, overrides, Map.of());
	}

	/**
	 * Returns the override of one route.
	 * @param routeId the route id
	 * @return its override, empty when the route file applies as written
	 */
	public Optional<RouteOverride> get(String routeId) {
		return Optional.ofNullable(this.overrides.get(routeId));
	}

	/**
	 * Returns the revision of one route.
	 * @param routeId the route id
	 * @return how many changes of its override were committed, 0 when none
	 */
	public long revision(String routeId) {
		return this.routeRevisions.getOrDefault(routeId, 0L);
	}

}
