package dev.strangler.gateway.cache;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTable;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The response caches of all routes, one per route with a {@code cache} block, each bound
 * to Micrometer as {@code cache.*{cache=<route id>}}.
 *
 * <pre>{@code
 * RouteResponseCache cache = routeCaches.forRoute(route); // built on first use
 * routeCaches.evict("catalog");                          // DELETE /actuator/migration/catalog/cache
 * routeCaches.routesChanged(newTable);                   // after a reload
 * }</pre>
 *
 * A route's cache is rebuilt empty when the parts of its definition that shape responses
 * change (backends, match, {@code cache} block); a stage or percent change keeps it,
 * since keys already name the backend. The check is made on each request whose
 * {@link Route} instance is new, so a reloaded table takes effect even without
 * {@link #routesChanged}; that method additionally frees the caches of routes that are
 * gone.
 */
public final class RouteCaches {

	private static final Log logger = LogFactory.getLog(RouteCaches.class);

	private final CachePolicy policy;

	private final MeterRegistry registry;

	private final CacheTime time;

	private final Executor executor;

	private final Map<String, Slot> slots = new ConcurrentHashMap<>();

	RouteCaches(CachePolicy policy, MeterRegistry registry, CacheTime time, Executor executor) {
		this.policy = policy;
		this.registry = registry;
		this.time = time;
		this.executor = executor;
	}

	/**
	 * The cache of a route, built (or rebuilt) when its definition is new.
	 * @param route a route with a {@code cache} block
	 * @return its cache
	 */
	RouteResponseCache forRoute(Route route) {
		Slot slot = this.slots.get(route.id());
		if (slot != null && slot.route() == route) {
			return slot.cache();
		}
		return this.slots.compute(route.id(), (id, old) -> {
			Definition definition = Definition.of(route);
			if (old != null && old.definition().equals(definition)) {
				return new Slot(route, definition, old.cache());
			}
			if (old != null) {
				logger.info("Route '" + id + "' changed: its response cache starts empty");
				discard(old);
			}
			return new Slot(route, definition, build(route));
		}).cache();
	}

	/**
	 * Empties one route's cache: {@code DELETE /actuator/migration/{id}/cache}.
	 * @param routeId the route id
	 * @return {@code false} when the route has no cache (yet): nothing to evict
	 */
	public boolean evict(String routeId) {
		Slot slot = this.slots.get(routeId);
		if (slot == null) {
			return false;
		}
		slot.cache().invalidateAll();
		logger.info("Response cache of route '" + routeId + "' emptied");
		return true;
	}

	/**
	 * Brings the caches in line with a new route table: those of removed routes, of
	 * routes that no longer cache and of changed routes are dropped (with their metrics);
	 * the others keep their entries.
	 * @param table the table now in force
	 */
	public void routesChanged(RouteTable table) {
		for (String routeId : Set.copyOf(this.slots.keySet())) {
			Optional<Route> route = table.route(routeId).filter((candidate) -> candidate.cache() != null);
			this.slots.computeIfPresent(routeId, (id, slot) -> {
				if (route.isPresent() && slot.definition().equals(Definition.of(route.get()))) {
					return slot;
				}
				discard(slot);
				return null;
			});
		}
	}

	/**
	 * Figures of one route's cache, for the admin API.
	 * @param routeId the route id
	 * @return the figures; empty when the route has no cache (yet)
	 */
	public Optional<Snapshot> snapshot(String routeId) {
		return Optional.ofNullable(this.slots.get(routeId)).map((slot) -> {
			CacheStats stats = slot.cache().caffeine().synchronous().stats();
			return new Snapshot(slot.cache().estimatedSize(), slot.cache().weightedSize(), stats.hitCount(),
					stats.missCount());
		});
	}

	private RouteResponseCache build(Route route) {
		Route.Cache cache = route.cache();
		CacheSettings settings = new CacheSettings(cache.ttl(), cache.maxEntries(), cache.maxBytes().toBytes(),
				cache.vary());
		RouteResponseCache built = new RouteResponseCache(route.id(), settings, this.policy, this.time.ticker(),
				this.time.clock(), this.executor);
		CaffeineCacheMetrics.monitor(this.registry, built.caffeine(), route.id());
		return built;
	}

	private void discard(Slot slot) {
		slot.cache().invalidateAll();
		// Micrometer returns an existing meter for the same id: a rebuilt cache must not
		// report through the meters still bound to the old one
		String routeId = slot.cache().routeId();
		for (Meter meter : this.registry.getMeters()) {
			if (meter.getId().getName().startsWith("cache.") && routeId.equals(meter.getId().getTag("cache"))) {
				this.registry.remove(meter);
			}
		}
	}

	@Override
	public String toString() {
		return "RouteCaches" + this.slots.keySet() + "[" + this.policy + "]";
	}

	/**
	 * Figures of one route's cache.
	 *
	 * @param entries entries held, approximately
	 * @param weightedBytes bytes charged against {@code maxBytes}
	 * @param hits lookups served from the cache (including requests that joined a load)
	 * @param misses lookups that loaded from the backend
	 */
	public record Snapshot(long entries, long weightedBytes, long hits, long misses) {

		/**
		 * The share of lookups served from the cache.
		 * @return 0..1; 0 when there were no lookups
		 */
		public double hitRatio() {
			long lookups = this.hits + this.misses;
			return (lookups == 0) ? 0 : (double) this.hits / lookups;
		}

	}

	private record Slot(Route route, Definition definition, RouteResponseCache cache) {

	}

	/** What about a route decides the content of its cache. */
	private record Definition(URI legacy, URI target, Route.Cache cache, List<String> paths, Set<HttpMethod> methods) {

		static Definition of(Route route) {
			return new Definition(route.legacy(), route.target(), route.cache(),
					route.match().paths().stream().map(PathPattern::getPatternString).toList(),
					route.match().methods());
		}

	}

}
