package dev.strangler.gateway.rollout;

import dev.strangler.gateway.route.Route;

/**
 * Decides which backend serves a request of a route. Pure: no I/O, no WebFlux types, so
 * that the decision can be tested and reasoned about on its own.
 *
 * <pre class="code">
 * Backend backend = selector.select(route, StickyRequest.builder().header("X-User-Id", "42").build());
 * </pre>
 */
public interface BackendSelector {

	/**
	 * Picks the backend for one request.
	 * @param route the route that claimed the request
	 * @param request the parts of the request a sticky key can be read from; read only
	 * when the route's stage needs it
	 * @return the backend that serves the request
	 */
	Backend select(Route route, StickyRequest request);

	/**
	 * Whether {@link #select} reads the request for a route, so that the caller can skip
	 * making a view of it ({@link StickyRequest#NONE}) when it does not.
	 * @param route the route that claimed the request
	 * @return {@code true} when the decision depends on the request
	 */
	default boolean readsRequest(Route route) {
		return true;
	}

}
