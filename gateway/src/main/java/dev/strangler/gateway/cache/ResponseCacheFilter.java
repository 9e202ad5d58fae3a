package dev.strangler.gateway.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.strangler.gateway.cache.RouteResponseCache.Lookup;
import dev.strangler.gateway.cache.StoreDecision.Reason;
import dev.strangler.gateway.routing.RoutingDecision;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;

/**
 * Serves the requests of routes with a {@code cache} block from the route's cache, and
 * stores what the backend answers. Runs once the backend is chosen (the key names it) and
 * before {@link NettyRoutingFilter} forwards the request.
 *
 * <ul>
 * <li>a fresh entry is written at once, with {@code Cache-Status: strangler; hit} and
 * {@code Age};
 * <li>on a miss, the first request goes to the backend and its response is captured
 * ({@link ResponseCapture}); concurrent requests for the same key wait for that one load
 * and are answered from it, or go to the backend themselves when it may not be shared;
 * <li>{@code no-cache} requests go to the backend and refresh the entry; other methods
 * and {@code no-store} requests go to the backend untouched.
 * </ul>
 *
 * Mirrored (shadow) calls never pass here: the mirroring sends them with its own client,
 * and their responses are compared, never written to a client. Should a mirror ever be
 * routed through this chain, it must {@link CacheAttributes#markNotCacheable mark} its
 * exchange, as must a fallback to legacy.
 */
final class ResponseCacheFilter implements GlobalFilter, Ordered {

	private static final Log logger = LogFactory.getLog(ResponseCacheFilter.class);

	/**
	 * Right after the routing filter, which runs at {@code ROUTE_TO_URL_FILTER_ORDER + 1}
	 * and records the {@link RoutingDecision}.
	 */
	static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 2;

	/**
	 * Marks an exchange this filter has handled, so a re-run chain (retry) is not cached
	 * twice.
	 */
	static final String APPLIED = ResponseCacheFilter.class.getName() + ".applied";

	private final RouteCaches caches;

	private final Duration maxWait;

	ResponseCacheFilter(RouteCaches caches, Duration maxWait) {
		this.caches = caches;
		this.maxWait = maxWait;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RoutingDecision decision = RoutingDecision.of(exchange);
		if (decision == null || decision.route().cache() == null || CacheAttributes.isNotCacheable(exchange)
				|| exchange.getAttributes().putIfAbsent(APPLIED, Boolean.TRUE) != null) {
			return chain.filter(exchange);
		}
		RouteResponseCache cache;
		try {
			cache = this.caches.forRoute(decision.route());
		}
		catch (RuntimeException ex) {
			// a cache that cannot be built must not cost the request: serve it uncached
			logger.warn("Response cache of route '" + decision.route().id() + "' unavailable: " + ex.getMessage());
			return chain.filter(exchange);
		}
		ServerHttpRequest request = exchange.getRequest();
		String method = request.getMethod().name();
		HttpHeaders headers = request.getHeaders();
		RequestMode mode = cache.classify(method, headers);
		PrimaryKey key = PrimaryKey.of(decision.route().id(), decision.backend().value(), method,
				request.getPath().value(), request.getURI().getRawQuery());
		return switch (mode) {
			case LOAD -> load(exchange, chain, cache, key, true);
			case PEEK -> peek(exchange, chain, cache, key);
			case REFRESH -> fetch(exchange, chain, new ResponseCapture(cache, key, headers, mode, null));
			case BYPASS_REQUEST, BYPASS_METHOD -> forward(exchange, chain, mode);
		};
	}

	private Mono<Void> load(ServerWebExchange exchange, GatewayFilterChain chain, RouteResponseCache cache,
			PrimaryKey key, boolean firstLookup) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		CompletableFuture<Loaded> load = new CompletableFuture<>();
		Lookup lookup = cache.lookup(key, headers, (missing) -> load.completeOnTimeout(Loaded.refused(Reason.ABANDONED),
				this.maxWait.toMillis(), TimeUnit.MILLISECONDS));
		if (lookup.loading()) {
			return fetch(exchange, chain, new ResponseCapture(cache, key, headers, RequestMode.LOAD, load));
		}
		// a response that varies on a header this request has another value of: the
		// learnt
		// Vary now gives this request a key of its own
		return answerFrom(lookup.result(), exchange, chain, cache, false, () -> firstLookup
				? load(exchange, chain, cache, key, false) : forward(exchange, chain, RequestMode.LOAD));
	}

	private Mono<Void> peek(ServerWebExchange exchange, GatewayFilterChain chain, RouteResponseCache cache,
			PrimaryKey key) {
		CompletableFuture<Loaded> entry = cache.peek(key, exchange.getRequest().getHeaders());
		if (entry == null) {
			return forward(exchange, chain, RequestMode.PEEK);
		}
		return answerFrom(entry, exchange, chain, cache, true, () -> forward(exchange, chain, RequestMode.PEEK));
	}

	/**
	 * Answers from an entry or from another request's load. A failed load fails this
	 * request the same way; a result that may not be shared sends it to the backend; a
	 * response that varies on a header this request has another value of is left to
	 * {@code mismatch}.
	 */
	private Mono<Void> answerFrom(CompletableFuture<Loaded> result, ServerWebExchange exchange,
			GatewayFilterChain chain, RouteResponseCache cache, boolean head, Supplier<Mono<Void>> mismatch) {
		String status = result.isDone() ? CacheStatus.HIT : CacheStatus.COLLAPSED;
		HttpHeaders headers = exchange.getRequest().getHeaders();
		// suppressCancel: a waiting client that goes away must not cancel the shared load
		return Mono.fromFuture(result, true).flatMap((loaded) -> {
			if (loaded.failure() != null) {
				return Mono.error(loaded.failure());
			}
			if (loaded.response() == null) {
				return forward(exchange, chain, RequestMode.LOAD);
			}
			return loaded.usableFor(headers)
				.map((response) -> write(exchange, cache, response, status, head))
				.orElseGet(mismatch);
		});
	}

	private Mono<Void> fetch(ServerWebExchange exchange, GatewayFilterChain chain, ResponseCapture capture) {
		exchange.getAttributes().put(ResponseCapture.ATTRIBUTE, capture);
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			response.getHeaders().add(CacheStatus.HEADER, capture.cacheStatus());
			return Mono.empty();
		});
		return chain.filter(exchange).doOnError(capture::failed).doFinally((signal) -> {
			// the body is written after this chain completes, by a filter earlier in the
			// chain; without a backend connection nothing will be written, so let go now
			if (signal == SignalType.CANCEL || exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR) == null) {
				capture.abandon();
			}
		});
	}

	private Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, RequestMode mode) {
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			response.getHeaders().add(CacheStatus.HEADER, CacheStatus.forwarded(mode.forwardReason(), false));
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	private Mono<Void> write(ServerWebExchange exchange, RouteResponseCache cache, CachedResponse cached,
			String cacheStatus, boolean head) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatusCode.valueOf(cached.status()));
		HttpHeaders headers = response.getHeaders();
		headers.putAll(cached.headers());
		headers.set(HttpHeaders.AGE, Long.toString(cache.ageSeconds(cached)));
		headers.set(CacheStatus.HEADER, cacheStatus);
		if (cached.status() == 204) {
			// RFC 9110 §8.6: no Content-Length on a 204
			return response.setComplete();
		}
		headers.setContentLength(cached.bodyLength());
		// the server may have preset chunked encoding; both at once are invalid (RFC 9112
		// §6.3)
		headers.remove(HttpHeaders.TRANSFER_ENCODING);
		if (head) {
			return response.setComplete();
		}
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(cached.body())));
	}

	@Override
	public String toString() {
		return "ResponseCacheFilter[order=" + ORDER + ", maxWait=" + this.maxWait + ", " + this.caches + "]";
	}

}
