package dev.strangler.gateway.headers;

import java.util.ArrayList;
import java.util.List;

import dev.strangler.gateway.routing.ForcedBackend;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Removes every client-sent {@code X-Strangler-*} request header, so that no client can
 * pose as the gateway towards a backend (for example fake a shadow copy). A tester's
 * {@code X-Strangler-Force-Backend} is read first: when {@link BackendForcing} believes
 * it, the exchange is marked {@link ForcedBackend}; the header and its token are removed
 * all the same.
 */
final class InternalRequestHeadersFilter implements GlobalFilter, Ordered {

	/** Early, before any filter that forwards, mirrors or logs the request. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final BackendForcing forcing;

	InternalRequestHeadersFilter(BackendForcing forcing) {
		this.forcing = forcing;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		this.forcing
			.resolve(headers.getFirst(StranglerHeaders.FORCE_BACKEND), headers.getFirst(StranglerHeaders.FORCE_TOKEN))
			.ifPresent((backend) -> new ForcedBackend(backend).applyTo(exchange));
		List<String> internal = internalHeaderNames(headers);
		if (internal.isEmpty()) {
			return chain.filter(exchange);
		}
		ServerHttpRequest request = exchange.getRequest()
			.mutate()
			.headers((mutable) -> internal.forEach(mutable::remove))
			.build();
		return chain.filter(exchange.mutate().request(request).build());
	}

	/**
	 * The names of the internal headers a request carries; a plain loop, allocating
	 * nothing for the requests (nearly all) that carry none.
	 */
	private static List<String> internalHeaderNames(HttpHeaders headers) {
		List<String> internal = List.of();
		for (String name : headers.keySet()) {
			if (StranglerHeaders.isInternal(name)) {
				if (internal.isEmpty()) {
					internal = new ArrayList<>(2);
				}
				internal.add(name);
			}
		}
		return internal;
	}

	@Override
	public String toString() {
		return "InternalRequestHeadersFilter[removes=" + StranglerHeaders.PREFIX + "*, forcing=" + this.forcing + "]";
	}

}
