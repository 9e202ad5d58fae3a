package dev.strangler.gateway.headers;

import dev.strangler.gateway.routing.RoutingDecision;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells clients which route and backend served a response ({@code X-Strangler-Route},
 * {@code X-Strangler-Backend}). Headers are set just before the response commits, after
 * the backend's headers were copied, so a backend cannot spoof them.
 */
final class RouteResponseHeadersFilter implements GlobalFilter, Ordered {

	/** Just after the internal request headers are removed. */
	static final int ORDER = InternalRequestHeadersFilter.ORDER + 1;

	private final boolean expose;

	RouteResponseHeadersFilter(boolean expose) {
		this.expose = expose;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (!this.expose) {
			return chain.filter(exchange);
		}
		exchange.getResponse().beforeCommit(() -> {
			RoutingDecision decision = RoutingDecision.of(exchange);
			if (decision != null) {
				HttpHeaders headers = exchange.getResponse().getHeaders();
				headers.set(StranglerHeaders.ROUTE, decision.route().id());
				headers.set(StranglerHeaders.BACKEND, decision.backend().value());
			}
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	@Override
	public String toString() {
		return "RouteResponseHeadersFilter[expose=" + this.expose + "]";
	}

}
