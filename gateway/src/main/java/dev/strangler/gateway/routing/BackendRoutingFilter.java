package dev.strangler.gateway.routing;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.rollout.BackendSelector;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTableHolder;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Points each request of the legacy catch-all route at its backend: requests a strangler
 * route claims go where the {@link BackendSelector} decides (or where an authenticated
 * tester {@link ForcedBackend forced} them), all others to legacy, unchanged. It only
 * sets {@code GATEWAY_REQUEST_URL_ATTR}: the proxying itself stays Spring Cloud
 * Gateway's.
 * <p>
 * It takes the place of Spring Cloud Gateway's {@link RouteToRequestUrlFilter}, which is
 * off
 * ({@code spring.cloud.gateway.server.webflux.global-filter.route-to-request-url.enabled})
 * because for the catch-all route it would build a URL through a
 * {@code UriComponentsBuilder} and parse it, per request, for this filter to replace; a
 * request of any other Spring Cloud Gateway route gets that filter's URL, from a private
 * instance.
 */
final class BackendRoutingFilter implements GlobalFilter, Ordered {

	/** Right after the route URL is known, before anything forwards the request. */
	static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;

	private static final Log logger = LogFactory.getLog(BackendRoutingFilter.class);

	private final RouteTableHolder routes;

	private final RequestRouter router;

	private final BackendUrls urls;

	/**
	 * Gives the route's calls the gateway's response timeout (BackendResponseTimeout).
	 */
	private final ContextView responseTimeout;

	/** The URL of requests of any other Spring Cloud Gateway route. */
	private final RouteToRequestUrlFilter otherRoutes = new RouteToRequestUrlFilter();

	BackendRoutingFilter(RouteTableHolder routes, RequestRouter router, BackendUrls urls, ContextView responseTimeout) {
		this.routes = routes;
		this.router = router;
		this.urls = urls;
		this.responseTimeout = responseTimeout;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		org.springframework.cloud.gateway.route.Route gatewayRoute = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
		if (gatewayRoute == null) {
			return chain.filter(exchange);
		}
		if (!LegacyRouteConfiguration.ROUTE_ID.equals(gatewayRoute.getId())) {
			// Spring Cloud Gateway's URL, unless its own filter (turned on again) set it.
			return (exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR) != null) ? chain.filter(exchange)
					: this.otherRoutes.filter(exchange, chain);
		}
		ServerHttpRequest request = exchange.getRequest();
		Route route = this.router.claim(this.routes.current(), request);
		Backend backend = Backend.LEGACY;
		if (route != null) {
			backend = backend(exchange, route);
			exchange.getAttributes().put(RoutingDecision.ATTRIBUTE, new RoutingDecision(route, backend));
		}
		exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, this.urls.of(route, backend, request.getURI()));
		// The gateway's response timeout for every call of the route; a target attempt
		// turns it off for its own call (ResilienceFilter: the route's timeout bounds
		// it).
		return chain.filter(exchange).contextWrite(this.responseTimeout);
	}

	private Backend backend(ServerWebExchange exchange, Route route) {
		ForcedBackend forced = ForcedBackend.of(exchange);
		if (forced == null) {
			return this.router.select(route, exchange.getRequest());
		}
		// A route still in stage legacy may have no target: then legacy serves, and the
		// response header says so.
		Backend backend = (forced.backend() == Backend.TARGET && route.target() == null) ? Backend.LEGACY
				: forced.backend();
		if (logger.isDebugEnabled()) {
			logger.debug("Route " + route.id() + ": backend forced to " + backend.value() + " by a tester (stage "
					+ route.stage() + ")");
		}
		return backend;
	}

	@Override
	public String toString() {
		return "BackendRoutingFilter[order=" + ORDER + ", router=" + this.router + ", urls=" + this.urls + "]";
	}

}
