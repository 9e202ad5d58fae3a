package dev.strangler.gateway.resilience;

import java.net.URI;
import java.util.List;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.cache.CacheAttributes;
import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.routing.BackendResponseTimeout;
import dev.strangler.gateway.routing.BackendUrl;
import dev.strangler.gateway.routing.RoutingDecision;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * Protects each target call of a routed request with its route's Resilience4j instances
 * and, when the target fails, answers from legacy where that is safe (DESIGN §8): a safe
 * request (GET, HEAD, OPTIONS) whose body can be replayed falls back on a 5xx, a timeout,
 * a refused, reset or closed connection, a malformed response, an open circuit or a full
 * bulkhead; any other request only when the target provably never received it (open
 * circuit, full bulkhead, connection refused or timed out), since legacy and target keep
 * separate data and a write the target may have applied must not be applied twice.
 * Anything else gets a 502/503/504 problem, or the target's own 5xx answer. Retries stay
 * on the target and include the idempotent PUT and DELETE.
 *
 * <p>
 * Calls to legacy pass through unguarded, as for requests no route claims, unless the
 * route opts in ({@code resilience.legacy}). A fallback answer is never cached as the
 * target's, and each attempt that is not relayed has its connection closed.
 *
 * <p>
 * Works like Spring Cloud Gateway's retry filter: it runs after the backend is chosen and
 * before {@link NettyRoutingFilter}, so the status is known when the rest of the chain
 * completes but nothing was written yet (NettyWriteResponseFilter writes the body
 * afterwards). A fallback resets the exchange, points {@code GATEWAY_REQUEST_URL_ATTR} at
 * the route's legacy and runs the rest of the chain again.
 */
final class ResilienceFilter implements GlobalFilter, Ordered {

	/**
	 * After the backend is chosen, the cache is looked up and the mirror is decided
	 * (ROUTE_TO_URL_FILTER_ORDER + 1 to + 3), before the load balancer and the routing
	 * filters that forward the request: a fallback re-runs only the forwarding.
	 */
	static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 10;

	/** Response header naming why legacy answered in the target's place. */
	static final String FALLBACK_HEADER = "X-Strangler-Fallback";

	/** Exchange attribute holding the fallback reason, absent when none happened. */
	static final String FALLBACK_ATTRIBUTE = ResilienceFilter.class.getName() + ".fallback";

	private static final String CHECKED_BODY_ATTRIBUTE = ResilienceFilter.class.getName() + ".checkedBody";

	private static final String BUDGET_ATTRIBUTE = ResilienceFilter.class.getName() + ".budget";

	// Relayed as they come, never held back (as NettyWriteResponseFilter flushes them).
	private static final List<MediaType> STREAMING = List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON);

	private static final Log logger = LogFactory.getLog(ResilienceFilter.class);

	private final RouteResilience resilience;

	private final long maxBufferedBody;

	private final boolean exposeHeaders;

	private final MeterRegistry meters;

	private final BodyBudget budget;

	ResilienceFilter(RouteResilience resilience, long maxBufferedBody, boolean exposeHeaders, MeterRegistry meters,
			BodyBudget budget) {
		this.resilience = resilience;
		this.maxBufferedBody = maxBufferedBody;
		this.exposeHeaders = exposeHeaders;
		this.meters = meters;
		this.budget = budget;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RoutingDecision decision = RoutingDecision.of(exchange);
		if (decision == null || "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade())) {
			return chain.filter(exchange);
		}
		exchange.getResponse().beforeCommit(() -> fallbackHeader(exchange));
		if (decision.backend() == Backend.LEGACY) {
			return legacy(exchange, chain, decision.route());
		}
		RouteResilience.RouteGuards guards = this.resilience.guards(decision.route());
		RequestBody body = RequestBody.of(exchange.getRequest(), this.maxBufferedBody);
		// Every body this request holds is taken from the gateway-wide budget and given
		// back when it ends, however it ends.
		BodyBudget.Reservation held = this.budget.open();
		exchange.getAttributes().put(BUDGET_ATTRIBUTE, held);
		if (body == RequestBody.BUFFERED
				&& !held.tryGrow(exchange.getRequest().getHeaders().getContentLength(), BodyBudget.Feature.REPLAY)) {
			// No room to keep it: streamed once, without a retry or a fallback.
			body = RequestBody.STREAMED;
		}
		Mono<Void> routed;
		if (body == RequestBody.BUFFERED) {
			// Kept for a retry or a fallback; RemoveCachedBodyFilter releases it.
			routed = ServerWebExchangeUtils.cacheRequestBody(exchange,
					(request) -> target(exchange.mutate().request(request).build(), chain, decision.route(), guards,
							true));
		}
		else {
			routed = target(exchange, chain, decision.route(), guards, body == RequestBody.NONE);
		}
		return routed.doFinally((signal) -> held.close());
	}

	private Mono<Void> target(ServerWebExchange exchange, GatewayFilterChain chain, Route route,
			RouteResilience.RouteGuards guards, boolean replayable) {
		TargetRules rules = TargetRules.of(route, exchange.getRequest().getMethod(), replayable);
		Mono<Integer> attempt = Mono.defer(() -> {
			if (ServerWebExchangeUtils.isAlreadyRouted(exchange)) {
				// A retry: drop the previous attempt's response and connection.
				discardAttempt(exchange);
			}
			// The route's time limiter is the one timeout of a target call.
			return BackendResponseTimeout.off(chain.filter(exchange))
				.then(Mono.defer(() -> inspect(exchange, rules.checksBody())));
		});
		return guards.target()
			.protect(attempt, rules.retried())
			.map(AttemptOutcome::answered)
			.defaultIfEmpty(AttemptOutcome.NOTHING)
			.onErrorResume((error) -> Mono.just(AttemptOutcome.failed(error)))
			.flatMap((outcome) -> {
				if (outcome.error() == null) {
					TargetFailure failed = rules.fallbackFor(outcome.status());
					return (failed != null) ? fallback(exchange, chain, route, failed) : relay(exchange);
				}
				TargetFailure failure = TargetFailure.of(outcome.error());
				if (rules.fallsBackOn(failure)) {
					return fallback(exchange, chain, route, failure);
				}
				if (logger.isDebugEnabled()) {
					logger.debug("Route " + route.id() + ": target failed (" + failure.reason() + ") for "
							+ exchange.getRequest().getMethod() + ", not re-sent to legacy"
							+ (rules.fallbackAllowed() ? " (not safe)" : " (fallback disabled)"));
				}
				return Mono.error(failure.toProblem(outcome.error()));
			});
	}

	/**
	 * The attempt's result: the target's status, after checking the first part of the
	 * body when a broken body could still fall back.
	 */
	private Mono<Integer> inspect(ServerWebExchange exchange, boolean checkBody) {
		HttpClientResponse response = exchange.getAttribute(CLIENT_RESPONSE_ATTR);
		Connection connection = exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR);
		if (response == null) {
			return Mono.empty();
		}
		int status = response.status().code();
		if (!checkBody || connection == null || RouteResilience.isServerError(status)
				|| isStreaming(exchange.getResponse().getHeaders().getContentType())) {
			return Mono.just(status);
		}
		long length = exchange.getResponse().getHeaders().getContentLength();
		BodyBudget.Reservation held = exchange.getAttribute(BUDGET_ATTRIBUTE);
		if (held != null && !held.tryGrow((length >= 0) ? Math.min(length, this.maxBufferedBody) : this.maxBufferedBody,
				BodyBudget.Feature.RESPONSE_CHECK)) {
			// No room to hold its first part: relayed as it comes, no fallback on a
			// broken body.
			return Mono.just(status);
		}
		return CheckedBody.read(connection, exchange.getResponse().bufferFactory(), this.maxBufferedBody)
			.map((body) -> {
				// From here this filter relays the body, not NettyWriteResponseFilter;
				// the
				// connection goes if the client does.
				exchange.getAttributes().remove(CLIENT_RESPONSE_CONN_ATTR);
				exchange.getAttributes()
					.put(CHECKED_BODY_ATTRIBUTE, body.doFinally((signal) -> disposeUnlessComplete(connection, signal)));
				return status;
			});
	}

	private static void disposeUnlessComplete(Connection connection, SignalType signal) {
		if (signal != SignalType.ON_COMPLETE) {
			connection.dispose();
		}
	}

	private Mono<Void> relay(ServerWebExchange exchange) {
		Flux<DataBuffer> body = exchange.getAttribute(CHECKED_BODY_ATTRIBUTE);
		if (body == null) {
			return Mono.empty();
		}
		exchange.getAttributes().remove(CHECKED_BODY_ATTRIBUTE);
		return exchange.getResponse().writeWith(body);
	}

	private Mono<Void> fallback(ServerWebExchange exchange, GatewayFilterChain chain, Route route,
			TargetFailure failure) {
		// Legacy's call has the gateway's response timeout, as every legacy call (it runs
		// outside the target attempt's BackendResponseTimeout.off).
		discardAttempt(exchange);
		// Stored, legacy's answer would be served as the target's until it expired.
		CacheAttributes.markNotCacheable(exchange);
		URI url = exchange.getRequest().getURI();
		exchange.getAttributes()
			.put(GATEWAY_REQUEST_URL_ATTR, BackendUrl.rebase(route.legacy(), url.getRawPath(), url.getRawQuery()));
		exchange.getAttributes().put(RoutingDecision.ATTRIBUTE, new RoutingDecision(route, Backend.LEGACY));
		exchange.getAttributes().put(FALLBACK_ATTRIBUTE, failure.reason());
		Fallbacks.count(this.meters, route.id(), failure.reason());
		if (logger.isDebugEnabled()) {
			logger.debug("Route " + route.id() + ": target failed (" + failure.reason() + "), "
					+ exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath() + " sent to legacy");
		}
		return legacy(exchange, chain, route);
	}

	/**
	 * A call to legacy: passed through as for requests no route claims, unless the route
	 * opted in to a guard.
	 */
	private Mono<Void> legacy(ServerWebExchange exchange, GatewayFilterChain chain, Route route) {
		if (route.resilience().legacy() == null) {
			return chain.filter(exchange);
		}
		LegacyCallGuard guard = this.resilience.guards(route).legacy();
		if (guard == null) {
			// A reload changed the route between the two reads: it is unguarded now.
			return chain.filter(exchange);
		}
		// The status is the result, so that the monolith's 5xx answers count as failures.
		return guard.protect(Mono.defer(() -> chain.filter(exchange).then(Mono.fromSupplier(() -> status(exchange)))))
			.then()
			.onErrorMap((error) -> error instanceof CallNotPermittedException || error instanceof BulkheadFullException,
					(error) -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
							"Legacy is not taking calls (" + TargetFailure.of(error).reason() + ")", error));
	}

	@Nullable
	private static Integer status(ServerWebExchange exchange) {
		HttpClientResponse response = exchange.getAttribute(CLIENT_RESPONSE_ATTR);
		return (response != null) ? response.status().code() : null;
	}

	/**
	 * Drops an attempt whose response will not be relayed (a retry or a fallback
	 * follows): its connection is closed rather than left waiting for a body nobody
	 * reads, and the exchange is ready to be routed again.
	 */
	private static void discardAttempt(ServerWebExchange exchange) {
		Connection connection = exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR);
		// Only while the response is still this connection's: once complete, Reactor
		// Netty
		// gave the connection back to the pool, and another request may own it.
		if (connection != null && ChannelOperations.get(connection.channel()) == connection) {
			connection.dispose();
		}
		exchange.getAttributes().remove(CLIENT_RESPONSE_CONN_ATTR);
		exchange.getAttributes().remove(CLIENT_RESPONSE_ATTR);
		ServerWebExchangeUtils.reset(exchange);
	}

	private Mono<Void> fallbackHeader(ServerWebExchange exchange) {
		// The gateway owns this header: a backend's own is never passed on.
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.remove(FALLBACK_HEADER);
		String reason = exchange.getAttribute(FALLBACK_ATTRIBUTE);
		if (reason != null && this.exposeHeaders) {
			headers.set(FALLBACK_HEADER, reason);
		}
		return Mono.empty();
	}

	/**
	 * Whether a response is relayed as it comes, never held back (as
	 * NettyWriteResponseFilter flushes it): server-sent events, NDJSON.
	 * @param contentType the response's content type
	 * @return {@code true} for a streamed response
	 */
	static boolean isStreaming(@Nullable MediaType contentType) {
		return contentType != null
				&& STREAMING.stream().anyMatch((streaming) -> streaming.isCompatibleWith(contentType));
	}

	@Override
	public String toString() {
		return "ResilienceFilter[order=" + ORDER + ", maxBufferedBody=" + this.maxBufferedBody + ", " + this.resilience
				+ "]";
	}

	/**
	 * Whether a request has a body, and whether it can be replayed.
	 */
	enum RequestBody {

		/** No body: replayable as it is. */
		NONE,

		/** A body of known, small enough size: kept in memory, replayable. */
		BUFFERED,

		/** Chunked or too large: streams once, never replayed. */
		STREAMED;

		static RequestBody of(ServerHttpRequest request, long limit) {
			HttpHeaders headers = request.getHeaders();
			long length = headers.getContentLength();
			if (headers.containsKey(HttpHeaders.TRANSFER_ENCODING) || length > limit) {
				return STREAMED;
			}
			return (length > 0) ? BUFFERED : NONE;
		}

	}

}
