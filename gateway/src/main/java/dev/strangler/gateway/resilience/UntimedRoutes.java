package dev.strangler.gateway.resilience;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;

/**
 * The Spring Cloud Gateway route a target attempt runs under: the route it matched,
 * without Spring Cloud Gateway's response timeout, so that the strangler route's own time
 * limiter ({@code resilience.timeout}) is the one timeout of a target call. Legacy calls
 * keep the matched route, and with it {@code response-timeout}.
 *
 * <pre class="code">
 * exchange.getAttributes().put(GATEWAY_ROUTE_ATTR, untimedRoutes.of(matched));
 * </pre>
 *
 * The copy is made once per matched route instance (the gateway has one catch-all route;
 * a route refresh makes a new instance), never per request.
 */
final class UntimedRoutes {

	/** {@code response-timeout} metadata below zero: NettyRoutingFilter sets none. */
	private static final long NO_TIMEOUT = -1;

	private volatile Copy last;

	/**
	 * The matched route without a response timeout.
	 * @param matched the route in {@code GATEWAY_ROUTE_ATTR}
	 * @return its copy
	 */
	Route of(Route matched) {
		Copy copy = this.last;
		if (copy == null || copy.matched() != matched) {
			copy = new Copy(matched,
					Route.async()
						.id(matched.getId())
						.uri(matched.getUri())
						.order(matched.getOrder())
						.asyncPredicate(matched.getPredicate())
						.filters(matched.getFilters())
						.metadata(matched.getMetadata())
						.metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, NO_TIMEOUT)
						.build());
			this.last = copy;
		}
		return copy.untimed();
	}

	@Override
	public String toString() {
		return "UntimedRoutes";
	}

	private record Copy(Route matched, Route untimed) {

	}

}
