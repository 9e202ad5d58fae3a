package dev.strangler.gateway.headers;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Decides the {@link ForwardingHeaders} of each request once, early, so that legacy,
 * target, mirrors and the recording all get the same values; each writes them into the
 * copy of the headers it sends ({@link ForwardedRequestHeaders}), and the request itself
 * is left as it came: rewriting it would copy every header of every request.
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
		ForwardedRequestHeaders.decide(exchange,
				this.forwarding.forwardingOf(request.getHeaders(), request.getRemoteAddress(), request.getURI()));
		return chain.filter(exchange);
	}

	@Override
	public String toString() {
		return "ForwardingHeadersFilter[" + this.forwarding + "]";
	}

}
