package dev.strangler.gateway.control;

import dev.strangler.gateway.cache.RouteCaches;
import dev.strangler.gateway.route.RouteTable;

/**
 * Drops the response caches of routes whose definition changed or that are gone, as soon
 * as a new table is in force (rather than on their next request).
 */
final class RouteCachesListener implements RouteControl.ReloadListener {

	private final RouteCaches caches;

	RouteCachesListener(RouteCaches caches) {
		this.caches = caches;
	}

	@Override
	public void routesChanged(RouteTable effective) {
		this.caches.routesChanged(effective);
	}

	@Override
	public String toString() {
		return "RouteCachesListener[" + this.caches + "]";
	}

}
