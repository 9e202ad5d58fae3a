package dev.strangler.gateway.headers;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Removes every client-sent {@code X-Strangler-*} request header, so that no client can
 * pose as the gateway towards a backend (for example fake a shadow copy).
 */
final class InternalRequestHeadersFilter implements GlobalFilter, Ordered {

	/** Early, before any filter that forwards, mirrors or logs the request. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		List<String> internal = exchange.getRequest()
			.getHeaders()
			.keySet()
			.stream()
			.filter(StranglerHeaders::isInternal)
			.toList();
		if (internal.isEmpty()) {
			return chain.filter(exchange);
		}
		ServerHttpRequest request = exchange.getRequest()
			.mutate()
			.headers((headers) -> internal.forEach(headers::remove))
			.build();
		return chain.filter(exchange.mutate().request(request).build());
	}

	@Override
	public String toString() {
		return "InternalRequestHeadersFilter[removes=" + StranglerHeaders.PREFIX + "*]";
	}

}
