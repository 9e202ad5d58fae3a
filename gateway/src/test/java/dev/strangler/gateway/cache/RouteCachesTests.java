package dev.strangler.gateway.cache;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;
import org.springframework.web.util.pattern.PathPatternParser;

import static dev.strangler.gateway.cache.CachePolicyTests.headers;
import static org.assertj.core.api.Assertions.assertThat;

class RouteCachesTests {

	private static final PrimaryKey KEY = PrimaryKey.of("catalog", "legacy", "GET", "/api/products", null);

	private final FakeTime time = new FakeTime();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RouteCaches caches = new RouteCaches(new CachePolicy(CachePolicy.DEFAULT_STATUSES, 1024),
			this.registry, new CacheTime(this.time, this.time), Runnable::run);

	private static Route route(String id, String target, Stage stage, Duration ttl) {
		Route.Cache cache = (ttl != null) ? new Route.Cache(ttl, 100, DataSize.ofKilobytes(64), List.of()) : null;
		return new Route(id, "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/products")), Set.of()),
				URI.create("http://legacy"), URI.create(target), stage, Route.Rollout.DEFAULT, Route.Shadow.DEFAULT,
				Route.Compare.DEFAULT, cache, Route.Resilience.DEFAULT);
	}

	private static Route catalog() {
		return route("catalog", "http://target", Stage.SHADOW, Duration.ofSeconds(30));
	}

	private static boolean store(RouteResponseCache cache) {
		return cache
			.lookup(KEY, headers(),
					(key) -> CompletableFuture.completedFuture(cache.capture(cache.decide(headers(), 200, headers()),
							headers(), 200, headers(), new byte[10])))
			.loading();
	}

	@Test
	void aRouteKeepsItsCacheAcrossReloadsThatChangeOnlyStageOrPercent() {
		RouteResponseCache first = this.caches.forRoute(catalog());
		store(first);

		RouteResponseCache afterReload = this.caches
			.forRoute(route("catalog", "http://target", Stage.CANARY, Duration.ofSeconds(30)));

		assertThat(afterReload).isSameAs(first);
		assertThat(store(afterReload)).isFalse();
	}

	@Test
	void aChangedRouteDefinitionStartsAnEmptyCache() {
		RouteResponseCache first = this.caches.forRoute(catalog());
		store(first);

		RouteResponseCache newTarget = this.caches
			.forRoute(route("catalog", "http://elsewhere", Stage.SHADOW, Duration.ofSeconds(30)));
		RouteResponseCache newTtl = this.caches
			.forRoute(route("catalog", "http://elsewhere", Stage.SHADOW, Duration.ofSeconds(5)));

		assertThat(newTarget).isNotSameAs(first);
		assertThat(newTtl).isNotSameAs(newTarget);
		assertThat(store(newTtl)).isTrue();
		assertThat(first.estimatedSize()).isZero();
	}

	@Test
	void evictEmptiesOneRoutesCache() {
		RouteResponseCache cache = this.caches.forRoute(catalog());
		store(cache);

		assertThat(this.caches.evict("catalog")).isTrue();

		assertThat(store(cache)).isTrue();
		assertThat(this.caches.evict("unknown")).isFalse();
	}

	@Test
	void aNewTableDropsTheCachesOfRemovedAndChangedRoutesWithTheirMeters() {
		this.caches.forRoute(catalog());
		this.caches.forRoute(route("orders", "http://target", Stage.SHADOW, Duration.ofSeconds(30)));
		assertThat(this.registry.find("cache.gets").tag("cache", "orders").meters()).isNotEmpty();

		this.caches.routesChanged(RouteTable.of(List.of(catalog())));

		assertThat(this.caches.snapshot("catalog")).isPresent();
		assertThat(this.caches.snapshot("orders")).isEmpty();
		assertThat(this.registry.find("cache.gets").tag("cache", "orders").meters()).isEmpty();
		this.caches.routesChanged(RouteTable.of(List.of(route("catalog", "http://target", Stage.SHADOW, null))));
		assertThat(this.caches.snapshot("catalog")).isEmpty();
	}

	@Test
	void hitsAndMissesReachMicrometerPerRoute() {
		RouteResponseCache cache = this.caches.forRoute(catalog());
		store(cache);
		store(cache);
		store(cache);

		assertThat(
				this.registry.get("cache.gets").tag("cache", "catalog").tag("result", "hit").functionCounter().count())
			.isEqualTo(2);
		assertThat(
				this.registry.get("cache.gets").tag("cache", "catalog").tag("result", "miss").functionCounter().count())
			.isEqualTo(1);
		assertThat(this.caches.snapshot("catalog")).hasValueSatisfying((snapshot) -> {
			assertThat(snapshot.entries()).isEqualTo(1);
			assertThat(snapshot.hitRatio()).isEqualTo(2.0 / 3);
		});
	}

	@Test
	void aRebuiltCacheReportsThroughFreshMeters() {
		store(this.caches.forRoute(catalog()));
		RouteResponseCache rebuilt = this.caches
			.forRoute(route("catalog", "http://elsewhere", Stage.SHADOW, Duration.ofSeconds(30)));

		store(rebuilt);
		store(rebuilt);

		assertThat(
				this.registry.get("cache.gets").tag("cache", "catalog").tag("result", "hit").functionCounter().count())
			.isEqualTo(1);
	}

}
