package dev.strangler.gateway.front;

import dev.strangler.gateway.cache.FreshHits;
import dev.strangler.gateway.cache.WireResponse;
import dev.strangler.gateway.headers.StranglerHeaders;
import dev.strangler.gateway.observe.FrontReporter;
import dev.strangler.gateway.record.RecordedRoutes;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.routing.RequestRouter;
import dev.strangler.gateway.routing.RoutingDecision;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.lang.Nullable;

/**
 * Answers fresh cache hits before the WebFlux handler, and hands every other request to
 * it unchanged. Per hit: one route match, the cache key, one cache lookup, the
 * pre-encoded response written with its {@code Age}, and the same reports as a hit served
 * by the filter chain (observation and span, {@code strangler.requests}, access line,
 * admin traffic figures, {@code cache.gets}).
 *
 * <p>
 * Left to the chain: methods other than GET and HEAD, the management port, a tester's
 * {@code X-Strangler-Force-Backend}, paths that are not in normal form (the chain
 * normalises or rejects them), routes without a cache or whose requests may be recorded,
 * canary requests only a random draw can place (the chain draws, once), and whatever the
 * cache does not answer with a fresh stored entry (see {@link FreshHits}). The rules are
 * listed in {@code docs/caching.md}.
 */
final class CacheHitHandler implements HttpHandler {

	private static final Log logger = LogFactory.getLog(CacheHitHandler.class);

	private static final String HIT = "hit";

	private final HttpHandler delegate;

	private final Parts parts;

	/** The table {@link #anyCache} was computed for; a reload replaces it. */
	@Nullable
	private volatile RouteTable seen;

	private volatile boolean anyCache;

	CacheHitHandler(HttpHandler delegate, Parts parts) {
		this.delegate = delegate;
		this.parts = parts;
	}

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		HttpMethod method = request.getMethod();
		boolean head = HttpMethod.HEAD.equals(method);
		if (!(head || HttpMethod.GET.equals(method)) || !anyRouteCaches()
				|| request.getHeaders().containsKey(StranglerHeaders.FORCE_BACKEND)
				|| !isNormalised(request.getURI().getRawPath()) || !this.parts.port().accepts(request)
				|| !(ServerHttpResponseDecorator.getNativeResponse(response) instanceof HttpServerResponse netty)) {
			return this.delegate.handle(request, response);
		}
		RoutingDecision decision;
		WireResponse hit;
		try {
			Route route = this.parts.router().claim(request);
			if (route == null || route.cache() == null || this.parts.recorded().includes(route.id())) {
				return this.delegate.handle(request, response);
			}
			// A canary request only a random draw can place is left to the chain, which
			// draws once: a hit served here on one draw and a miss there on another would
			// tilt the split towards the backend whose answers are cached.
			decision = this.parts.router().decideWithoutDrawing(route, request);
			if (decision == null) {
				return this.delegate.handle(request, response);
			}
			hit = this.parts.hits().find(decision.route(), decision.backend(), request);
		}
		catch (RuntimeException ex) {
			// the chain takes the same decisions and reports what went wrong
			logger.debug("Cache hit fast path skipped: " + ex.getMessage(), ex);
			return this.delegate.handle(request, response);
		}
		if (hit == null) {
			return this.delegate.handle(request, response);
		}
		return write(request, response, netty, decision, hit, head);
	}

	private Mono<Void> write(ServerHttpRequest request, ServerHttpResponse response, HttpServerResponse netty,
			RoutingDecision decision, WireResponse hit, boolean head) {
		FrontReporter.Report report = this.parts.reporter().start(request, response, decision);
		int status = hit.status().code();
		// read by the server observation's convention, as for a response the chain wrote
		response.setStatusCode(HttpStatusCode.valueOf(status));
		netty.status(hit.status())
			.headers(hit.headers())
			.header(WireResponse.AGE, Long.toString(this.parts.hits().ageSeconds(hit)));
		// HEAD: the GET's headers, Content-Length included, and no body (RFC 9110 §9.3.2)
		ByteBuf body = head ? Unpooled.EMPTY_BUFFER : hit.body();
		return netty.sendObject(body).then().doOnSuccess((done) -> {
			report.completed(status, HIT);
		}).doOnCancel(() -> {
			report.cancelled(HIT);
		}).onErrorResume((ex) -> {
			// the client went away while the response was written: nothing left to do
			report.failed(status, HIT, ex);
			logger.debug("Writing a cache hit failed: " + ex.getMessage());
			return Mono.empty();
		});
	}

	private boolean anyRouteCaches() {
		RouteTable table = this.parts.routes().current();
		if (table != this.seen) {
			boolean any = false;
			for (Route route : table.routes()) {
				any |= route.cache() != null;
			}
			this.anyCache = any;
			this.seen = table;
		}
		return this.anyCache;
	}

	/**
	 * Whether a raw path is already in the form the chain would give it: no dot segments,
	 * no encoded or escaped characters, no path parameters, no empty segments. Anything
	 * else goes to the chain, which normalises or rejects it.
	 */
	static boolean isNormalised(@Nullable String rawPath) {
		if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
			return false;
		}
		for (int i = 0; i < rawPath.length(); i++) {
			char c = rawPath.charAt(i);
			if (c == '%' || c == ';' || c == '\\' || c < 0x21 || c > 0x7e) {
				return false;
			}
			if (c == '/' && i + 1 < rawPath.length()
					&& (rawPath.charAt(i + 1) == '/' || rawPath.charAt(i + 1) == '.')) {
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return "CacheHitHandler[" + this.parts + "]";
	}

	/**
	 * What the handler works with.
	 *
	 * @param routes the route table in force
	 * @param router the routing decision
	 * @param hits the caches' fresh entries
	 * @param reporter observation, timer, admin traffic figures and access line
	 * @param recorded routes whose requests may be recorded
	 * @param port the traffic port
	 */
	record Parts(RouteTableHolder routes, RequestRouter router, FreshHits hits, FrontReporter reporter,
			RecordedRoutes recorded, TrafficPort port) {

	}

}
