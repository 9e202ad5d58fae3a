package dev.strangler.gateway.rollout;

import dev.strangler.gateway.route.Route;

import org.springframework.lang.Nullable;

/**
 * Decides which backend serves a request of a route. Pure: no I/O, no WebFlux types, so
 * that the decision can be tested and reasoned about on its own.
 *
 * <pre class="code">
 * Backend backend = selector.select(route, request.getHeaders().getFirst("X-User-Id"));
 * </pre>
 */
public interface BackendSelector {

	/**
	 * Picks the backend for one request.
	 * @param route the route that claimed the request
	 * @param stickyKey the value of the route's {@code rollout.stickyBy} in this request,
	 * {@code null} when the route has none or the request lacks it
	 * @return the backend that serves the request
	 */
	Backend select(Route route, @Nullable String stickyKey);

}
