package dev.strangler.gateway.headers;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes the {@link ForwardingHeaders} into the request itself, early, so that legacy,
 * target, mirrors and the recording all see the same values.
 */
final class ForwardingHeadersFilter implements GlobalFilter, Ordered {

	/** Once the internal headers are gone, before any filter that forwards or mirrors. */
	static final int ORDER = RouteResponseHeadersFilter.ORDER + 1;

	private final ForwardingHeaders forwarding;

	ForwardingHeadersFilter(ForwardingHeaders forwarding) {
		this.forwarding = forwarding;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		ServerHttpRequest forwarded = request.mutate()
			.headers((headers) -> this.forwarding.apply(headers, request.getRemoteAddress(), request.getURI()))
			.build();
		return chain.filter(exchange.mutate().request(forwarded).build());
	}

	@Override
	public String toString() {
		return "ForwardingHeadersFilter[" + this.forwarding + "]";
	}

}
