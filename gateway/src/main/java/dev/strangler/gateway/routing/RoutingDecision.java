package dev.strangler.gateway.routing;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;

import org.springframework.web.server.ServerWebExchange;

/**
 * What the gateway decided for a request a route claimed; kept as an exchange attribute
 * for the filters that report on it (headers, metrics, errors).
 *
 * @param route the route that claimed the request
 * @param backend the backend serving it
 */
public record RoutingDecision(Route route, Backend backend) {

	/** Exchange attribute holding the decision; absent for requests no route claims. */
	public static final String ATTRIBUTE = RoutingDecision.class.getName();

	/**
	 * The decision taken for an exchange.
	 * @param exchange the exchange
	 * @return the decision, or {@code null} when no route claimed the request
	 */
	public static RoutingDecision of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

}
