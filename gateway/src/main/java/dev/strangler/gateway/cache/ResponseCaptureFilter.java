package dev.strangler.gateway.cache;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/**
 * Puts a {@link CapturingResponse} on every GET exchange.
 *
 * <p>
 * Why a filter of its own: {@link NettyWriteResponseFilter} writes the backend's body to
 * the response of the exchange <em>it</em> was given, and it runs early in the chain. A
 * decorator must therefore be in place before it, while the decision to capture can only
 * be taken after the backend is chosen ({@link ResponseCacheFilter}); the two meet
 * through the {@link ResponseCapture#ATTRIBUTE} exchange attribute.
 */
final class ResponseCaptureFilter implements GlobalFilter, Ordered {

	/** Just before the filter that writes the backend's body. */
	static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (!HttpMethod.GET.equals(exchange.getRequest().getMethod())) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().response(new CapturingResponse(exchange)).build());
	}

	@Override
	public String toString() {
		return "ResponseCaptureFilter[order=" + ORDER + "]";
	}

}
