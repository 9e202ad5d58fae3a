package dev.strangler.gateway.dashboard;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import dev.strangler.gateway.admin.MigrationViews;
import dev.strangler.gateway.admin.MigrationViews.BackendStats;
import dev.strangler.gateway.admin.MigrationViews.RouteView;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.shadow.ShadowStats;

import org.springframework.lang.Nullable;

/**
 * One line of the routes board: a route's admin view with the figures the board shows
 * worked out (shares, rates, percentiles), ready for a template.
 *
 * @param route the route as the admin API shows it
 * @param targetShare percent of the route's traffic the target serves at its effective
 * stage (0 for legacy and shadow, the canary percent, 100 when migrated)
 * @param legacy legacy's figures
 * @param target the target's figures
 * @param matchRate shadow comparisons that matched over those made, {@code null} before
 * any
 * @param cacheHitRatio the cache's hit ratio, {@code null} without a cache
 * @param circuits circuit breaker name to state, empty when none
 */
record BoardRow(RouteView route, BigDecimal targetShare, Backend legacy, Backend target, @Nullable Double matchRate,
		@Nullable Double cacheHitRatio, Map<String, String> circuits) {

	/** Most advanced first: migrated, canary by percent, shadow, legacy; then by id. */
	static final Comparator<BoardRow> BY_PROGRESS = Comparator.comparingDouble(BoardRow::progress)
		.reversed()
		.thenComparing((row) -> row.route().id());

	static BoardRow of(RouteView route, RequestLatencies latencies) {
		MigrationViews.Stats stats = route.stats();
		ShadowStats shadow = (stats.shadow() != null) ? stats.shadow().stats() : ShadowStats.NONE;
		Double matchRate = (shadow.compared() > 0) ? (double) shadow.match() / shadow.compared() : null;
		Double hitRatio = (stats.cache() != null) ? stats.cache().hitRatio() : null;
		return new BoardRow(route, targetShare(route.effective()),
				Backend.of(stats.requests().get("legacy"), latencies.p99Millis(route.id(), "legacy")),
				Backend.of(stats.requests().get("target"), latencies.p99Millis(route.id(), "target")), matchRate,
				hitRatio, circuits(stats.circuits()));
	}

	String stage() {
		return this.route.effective().stage();
	}

	boolean overridden() {
		return this.route.override() != null;
	}

	/** How far the route has moved, for sorting: 0 (legacy) to 4 (migrated). */
	double progress() {
		return switch (Stage.parse(stage())) {
			case LEGACY -> 0;
			case SHADOW -> 1;
			case CANARY -> 2 + this.targetShare.doubleValue() / 100;
			case MIGRATED -> 4;
		};
	}

	static BigDecimal targetShare(MigrationViews.Settings settings) {
		return switch (Stage.parse(settings.stage())) {
			case LEGACY, SHADOW -> BigDecimal.ZERO;
			case CANARY -> settings.percent();
			case MIGRATED -> BigDecimal.valueOf(100);
		};
	}

	private static Map<String, String> circuits(@Nullable Object circuits) {
		if (!(circuits instanceof Map<?, ?> map)) {
			return Map.of();
		}
		return map.entrySet()
			.stream()
			.collect(Collectors.toMap((entry) -> String.valueOf(entry.getKey()), (entry) -> state(entry.getValue()),
					(a, b) -> a, java.util.TreeMap::new));
	}

	private static String state(Object circuit) {
		return (circuit instanceof dev.strangler.gateway.resilience.CircuitStates.Circuit known) ? known.state()
				: String.valueOf(circuit);
	}

	/**
	 * One backend's figures on the board.
	 *
	 * @param requests requests it served
	 * @param errorRate answers that were 5xx or missing, over requests; 0 when none
	 * @param p99Millis the 99th percentile latency's bucket bound, {@code null} when
	 * unknown
	 */
	record Backend(long requests, double errorRate, @Nullable Double p99Millis) {

		static Backend of(@Nullable BackendStats stats, OptionalDouble p99) {
			long count = (stats != null) ? stats.count() : 0;
			double errorRate = (count > 0) ? (double) stats.errors() / count : 0;
			return new Backend(count, errorRate, p99.isPresent() ? p99.getAsDouble() : null);
		}

	}

	/**
	 * The routes board: every route, most advanced first, and the unrouted share.
	 *
	 * @param rows one per route
	 * @param unroutedShare requests no route claimed over all requests
	 * @param overview the admin overview the rows come from
	 */
	record Board(List<BoardRow> rows, double unroutedShare, MigrationViews.Overview overview) {

	}

}
