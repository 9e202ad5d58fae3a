package dev.strangler.gateway.routing;

import java.util.Optional;

import dev.strangler.gateway.rollout.BackendSelector;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteMatch;
import dev.strangler.gateway.route.RouteTableHolder;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;

/**
 * Takes the routing decision for a request outside the filter chain, the way
 * {@link BackendRoutingFilter} takes it inside: the route table in force claims the
 * request, the {@link BackendSelector} picks the backend. A tester's forced backend is
 * not considered: requests that ask for one are left to the chain.
 *
 * <pre>{@code
 * RoutingDecision decision = router.route(request); // null: no route claims it
 * }</pre>
 */
public final class RequestRouter {

	private final RouteTableHolder routes;

	private final BackendSelector selector;

	RequestRouter(RouteTableHolder routes, BackendSelector selector) {
		this.routes = routes;
		this.selector = selector;
	}

	/**
	 * The decision for a request.
	 * @param request the request
	 * @return the route claiming it and its backend; {@code null} when no route claims it
	 */
	@Nullable
	public RoutingDecision route(ServerHttpRequest request) {
		Optional<RouteMatch> match = this.routes.current()
			.match(request.getPath().pathWithinApplication(), request.getMethod());
		if (match.isEmpty()) {
			return null;
		}
		Route route = match.get().route();
		return new RoutingDecision(route, this.selector.select(route, new ServerHttpStickyRequest(request)));
	}

	@Override
	public String toString() {
		return "RequestRouter[" + this.selector + "]";
	}

}
