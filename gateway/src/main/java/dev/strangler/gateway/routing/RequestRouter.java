package dev.strangler.gateway.routing;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.rollout.BackendSelector;
import dev.strangler.gateway.rollout.StickyRequest;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteMatch;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;

/**
 * The one place a request's route is matched and its backend selected: the route table's
 * compiled matching ({@link RouteTable#find}) claims the request, the
 * {@link BackendSelector} picks the backend. Used by {@link BackendRoutingFilter} inside
 * the filter chain and by the front before it, which claims without selecting
 * ({@link #claim}) or selects only what takes no random draw
 * ({@link #decideWithoutDrawing}): a canary's draw is made once per request, by whoever
 * serves it. A tester's forced backend is the filter's business: the front leaves
 * requests that ask for one to the chain.
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
	 * The decision for a request, from the route table in force.
	 * @param request the request
	 * @return the route claiming it and its backend; {@code null} when no route claims it
	 */
	@Nullable
	public RoutingDecision route(ServerHttpRequest request) {
		Route route = claim(this.routes.current(), request);
		return (route != null) ? new RoutingDecision(route, select(route, request)) : null;
	}

	/**
	 * The route claiming a request, from the route table in force, without selecting its
	 * backend (in stage canary that may draw at random, once per request).
	 * @param request the request
	 * @return the route, or {@code null} when none claims it
	 */
	@Nullable
	public Route claim(ServerHttpRequest request) {
		return claim(this.routes.current(), request);
	}

	/**
	 * The decision for a request of a route when it takes no random draw (see
	 * {@link BackendSelector#selectWithoutDrawing}): for a caller that may still leave
	 * the request to the filter chain, which then draws, once.
	 * @param route the route claiming the request ({@link #claim})
	 * @param request the request
	 * @return the decision, or {@code null} when only a canary's random draw can make it
	 */
	@Nullable
	public RoutingDecision decideWithoutDrawing(Route route, ServerHttpRequest request) {
		Backend backend = this.selector.selectWithoutDrawing(route, stickyView(route, request)).orElse(null);
		return (backend != null) ? new RoutingDecision(route, backend) : null;
	}

	/**
	 * The route of a table that claims a request.
	 * @param table the route table
	 * @param request the request
	 * @return the route, or {@code null} when none claims it
	 */
	@Nullable
	Route claim(RouteTable table, ServerHttpRequest request) {
		RouteMatch match = table.find(request.getPath().pathWithinApplication(), request.getMethod());
		return (match != null) ? match.route() : null;
	}

	/**
	 * The backend the rollout selects for a request of a route.
	 * @param route the route claiming it
	 * @param request the request
	 * @return the backend
	 */
	Backend select(Route route, ServerHttpRequest request) {
		return this.selector.select(route, stickyView(route, request));
	}

	private StickyRequest stickyView(Route route, ServerHttpRequest request) {
		// Most stages never read the request: no view of it is made for them.
		return this.selector.readsRequest(route) ? new ServerHttpStickyRequest(request) : StickyRequest.NONE;
	}

	@Override
	public String toString() {
		return "RequestRouter[" + this.selector + "]";
	}

}
