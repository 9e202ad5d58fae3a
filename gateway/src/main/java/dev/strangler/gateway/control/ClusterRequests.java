package dev.strangler.gateway.control;

import java.util.Optional;

import dev.strangler.gateway.cache.RouteCaches;
import dev.strangler.gateway.state.ClusterEvents;
import dev.strangler.gateway.state.OverrideStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Acts on what another gateway instance was asked through its admin API: empties a
 * route's cache, reloads the route files.
 */
final class ClusterRequests implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClusterRequests.class);

	private final RouteControl control;

	private final Optional<RouteCaches> caches;

	private final OverrideStore.Subscription subscription;

	ClusterRequests(ClusterEvents events, RouteControl control, Optional<RouteCaches> caches) {
		this.control = control;
		this.caches = caches;
		this.subscription = events.subscribe(this::received);
	}

	private void received(ClusterEvents.Event event) {
		switch (event.kind()) {
			case EVICT_CACHE -> {
				boolean emptied = this.caches.map((routeCaches) -> routeCaches.evict(event.routeId())).orElse(false);
				logger.info("Cache of route '" + event.routeId() + "' emptied at another instance's request"
						+ (emptied ? "" : " (it had none yet)"));
			}
			case RELOAD -> {
				logger.info("Route files reloaded at another instance's request");
				this.control.reload();
			}
		}
	}

	@Override
	public void close() {
		this.subscription.close();
	}

	@Override
	public String toString() {
		return "ClusterRequests[" + this.control + "]";
	}

}
