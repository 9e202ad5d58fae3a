package dev.strangler.gateway.state;

import java.util.Optional;

/**
 * The outcome of one {@link OverrideStore#update update}: the route's override before and
 * after, as committed.
 *
 * @param routeId the route
 * @param before its override before the change
 * @param after its override after the change
 * @param snapshot the store's snapshot right after the change
 */
public record OverrideChange(String routeId, Optional<RouteOverride> before, Optional<RouteOverride> after,
		OverrideSnapshot snapshot) {

	/**
	 * Tells whether anything was committed; clearing a route without override is not.
	 * @return {@code false} when there was no override before nor after
	 */
	public boolean changed() {
		return this.before.isPresent() || this.after.isPresent();
	}

}
