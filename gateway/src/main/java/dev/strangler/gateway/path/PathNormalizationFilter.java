package dev.strangler.gateway.path;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Replaces every request's path by its {@link PathNormalizer normalized} form before
 * anything reads it, so that the route decision, the cache key, mirrors and the backends
 * all act on the same path; refuses with a 400 problem a path that cannot be normalized
 * safely.
 */
final class PathNormalizationFilter implements GlobalFilter, Ordered {

	/**
	 * Right after the filter that measures and logs every request (so a refusal is
	 * counted and logged), before every filter that reads the path.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String raw = request.getPath().value();
		String normalized;
		try {
			normalized = PathNormalizer.normalize(raw);
		}
		catch (UnsafePathException ex) {
			return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage()));
		}
		if (normalized == raw) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().request(request.mutate().path(normalized).build()).build());
	}

	@Override
	public String toString() {
		return "PathNormalizationFilter[order=" + ORDER + "]";
	}

}
