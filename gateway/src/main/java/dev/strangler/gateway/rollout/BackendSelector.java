package dev.strangler.gateway.rollout;

import java.util.Optional;

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
	 * Picks the backend for one request when no random draw is needed to pick it: every
	 * stage but a canary, and a canary at 0 or 100 percent or whose sticky key the
	 * request carries. For a caller that may leave the request to another to serve (the
	 * front's cache hits, before the filter chain): a canary draw must be made once per
	 * request, by whoever serves it, or a hit served on one draw and a miss served on
	 * another would skew the split.
	 * @param route the route that claimed the request
	 * @param request the parts of the request a sticky key can be read from
	 * @return the backend, or empty when only a random draw can pick it; a selector that
	 * cannot tell answers empty
	 */
	default Optional<Backend> selectWithoutDrawing(Route route, StickyRequest request) {
		return Optional.empty();
	}

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
