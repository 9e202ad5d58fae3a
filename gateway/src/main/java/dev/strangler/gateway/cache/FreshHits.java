package dev.strangler.gateway.cache;

import java.time.Clock;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;

/**
 * Finds the fresh, stored response a request of a cached route can be answered with
 * before any filter runs: the cache's half of the cache-hit fast path.
 *
 * <pre>{@code
 * WireResponse hit = freshHits.find(route, Backend.LEGACY, request);
 * if (hit != null) { write hit, with Age: freshHits.ageSeconds(hit) }
 * else { the request goes through the filter chain, which finds a miss, a load in flight, … }
 * }</pre>
 *
 * The rules are the chain's ({@link ResponseCacheFilter}): only GET and HEAD requests the
 * {@link CachePolicy} lets read the cache ({@link RequestMode#LOAD} and
 * {@link RequestMode#PEEK}: no {@code no-cache}, {@code max-age=0}, {@code no-store} or
 * body), the same key, the same {@code Vary} selection. Anything else, including a miss,
 * is {@code null}, and counted by the chain rather than here.
 */
public final class FreshHits {

	private static final Log logger = LogFactory.getLog(FreshHits.class);

	private final RouteCaches caches;

	private final Clock clock;

	private final boolean exposeHeaders;

	/**
	 * Creates the lookup.
	 * @param caches the routes' caches
	 * @param clock the caches' wall clock, for {@code Age}
	 * @param exposeHeaders whether hits carry {@code X-Strangler-Route} and
	 * {@code X-Strangler-Backend} ({@code strangler.expose-headers})
	 */
	FreshHits(RouteCaches caches, Clock clock, boolean exposeHeaders) {
		this.caches = caches;
		this.clock = clock;
		this.exposeHeaders = exposeHeaders;
	}

	/**
	 * The fresh hit for a request, counted as a hit in {@code cache.gets}.
	 * @param route the route that claims the request
	 * @param backend the backend chosen for it
	 * @param request the request
	 * @return the response to write; {@code null} when the request must go through the
	 * chain
	 */
	@Nullable
	public WireResponse find(Route route, Backend backend, ServerHttpRequest request) {
		if (route.cache() == null) {
			return null;
		}
		RouteResponseCache cache;
		try {
			cache = this.caches.forRoute(route);
		}
		catch (RuntimeException ex) {
			// the chain logs it and serves the request uncached
			logger.debug("Response cache of route '" + route.id() + "' unavailable", ex);
			return null;
		}
		String method = request.getMethod().name();
		HttpHeaders headers = request.getHeaders();
		RequestMode mode = cache.classify(method, headers);
		if (mode != RequestMode.LOAD && mode != RequestMode.PEEK) {
			return null;
		}
		PrimaryKey key = PrimaryKey.of(route.id(), backend.value(), method, request.getPath().value(),
				request.getURI().getRawQuery());
		CachedResponse response = cache.fresh(key, headers);
		if (response == null) {
			return null;
		}
		return response.wire(this.exposeHeaders ? route.id() : null, backend.value());
	}

	/**
	 * The {@code Age} of a hit served now.
	 * @param hit a hit from {@link #find}
	 * @return whole seconds
	 */
	public long ageSeconds(WireResponse hit) {
		return hit.response().ageSeconds(this.clock.millis());
	}

	@Override
	public String toString() {
		return "FreshHits[exposeHeaders=" + this.exposeHeaders + ", " + this.caches + "]";
	}

}
