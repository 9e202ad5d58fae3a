package dev.strangler.gateway.admin;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.strangler.gateway.cache.RouteCaches;
import dev.strangler.gateway.resilience.CircuitStates;
import dev.strangler.gateway.control.ControlState;
import dev.strangler.gateway.control.ControlledRoute;
import dev.strangler.gateway.control.ReloadError;
import dev.strangler.gateway.control.ReloadResult;
import dev.strangler.gateway.evidence.BackendFigures;
import dev.strangler.gateway.evidence.EvidenceFigures;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.evidence.EvidenceWindow;
import dev.strangler.gateway.evidence.RecentDiffs;
import dev.strangler.gateway.evidence.ShadowFigures;
import dev.strangler.gateway.progression.ProgressionController;
import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.shadow.ShadowReports;
import dev.strangler.gateway.shadow.ShadowStats;
import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.state.RouteOverride;

import org.springframework.lang.Nullable;

/**
 * The JSON shapes of the admin API (docs/admin-api.md), built from the control plane's
 * state. Plain records with nullable fields and ISO-8601 strings: actuator endpoints
 * serialize with their own object mapper, which must not need extra modules.
 */
public final class MigrationViews {

	/** Paths listed in the evidence's {@code topDifferingPaths}. */
	static final int TOP_PATHS = 10;

	private final RouteTraffic traffic;

	private final Optional<RouteCaches> caches;

	private final Optional<ShadowReports> shadow;

	private final Optional<CircuitStates> circuits;

	MigrationViews(RouteTraffic traffic, Optional<RouteCaches> caches, Optional<ShadowReports> shadow,
			Optional<CircuitStates> circuits) {
		this.traffic = traffic;
		this.caches = caches;
		this.shadow = shadow;
		this.circuits = circuits;
	}

	Overview overview(ControlState state) {
		return new Overview(
				state.routes()
					.values()
					.stream()
					.map((route) -> route(route, state.overrides().revision(route.id())))
					.toList(),
				state.orphans().stream().map(MigrationViews::override).toList(), state.overrides().revision(),
				state.loadedAt().toString(), state.lastReloadError().map(MigrationViews::error).orElse(null));
	}

	RouteView route(ControlledRoute route, long revision) {
		Route configured = route.configured();
		Route effective = route.effective();
		Map<String, String> backends = new LinkedHashMap<>();
		backends.put("legacy", configured.legacy().toString());
		backends.put("target", (configured.target() != null) ? configured.target().toString() : null);
		return new RouteView(route.id(), configured.description(), configured.source(),
				configured.match().paths().stream().map(Object::toString).toList(),
				configured.match().methods().stream().map(Object::toString).sorted().toList(), settings(configured),
				settings(effective), route.override().map(MigrationViews::override).orElse(null),
				route.overrideProblem().orElse(null), revision, backends,
				(configured.rollout().stickyBy() != null) ? configured.rollout().stickyBy().toString() : null,
				stats(route.id()));
	}

	RouteDetail detail(ControlledRoute route, long revision, List<AuditEntry> audit, EvidenceWindow evidence,
			@Nullable ProgressionController.ProgressionView progression) {
		return new RouteDetail(route(route, revision), audit.stream().map(MigrationViews::audit).toList(),
				evidence(evidence), progression);
	}

	static EvidenceView evidence(EvidenceWindow window) {
		EvidenceFigures total = window.total();
		ShadowFigures shadow = total.shadow();
		Map<String, EvidenceBackend> requests = new LinkedHashMap<>();
		requests.put(Backend.LEGACY.value(), evidence(total.legacy()));
		requests.put(Backend.TARGET.value(), evidence(total.target()));
		return new EvidenceView(window.scope().name().toLowerCase(java.util.Locale.ROOT), window.from().toString(),
				window.to().toString(), window.intervals().size(),
				new EvidenceShadow(shadow.compared(), shadow.match(), shadow.mismatch(), shadow.error(),
						shadow.skipped(), shadow.dropped(), round(shadow.mismatchRate())),
				requests,
				window.topDifferingPaths(TOP_PATHS)
					.entrySet()
					.stream()
					.map((entry) -> new ShadowStats.PathCount(entry.getKey(), entry.getValue()))
					.toList(),
				window.problem().orElse(null));
	}

	static List<DiffView> diffs(RecentDiffs diffs) {
		String scope = diffs.scope().name().toLowerCase(java.util.Locale.ROOT);
		String problem = diffs.problem().orElse(null);
		return diffs.diffs()
			.stream()
			.map((diff) -> new DiffView(diff.record(), diff.instance(), scope, problem))
			.toList();
	}

	private static EvidenceBackend evidence(BackendFigures figures) {
		return new EvidenceBackend(figures.requests(), figures.errors(), round(figures.errorRate()),
				figures.p99().map((p99) -> round(p99.toNanos() / 1e6)).orElse(null));
	}

	static ReloadView reload(ReloadResult result) {
		return new ReloadView(result.succeeded() ? "success" : "failure", result.routes(), result.added(),
				result.removed(), result.error().map(MigrationViews::error).orElse(null));
	}

	private Stats stats(String routeId) {
		Map<String, BackendStats> backends = new LinkedHashMap<>();
		for (Backend backend : Backend.values()) {
			RouteTraffic.Figures figures = this.traffic.of(routeId, backend);
			backends.put(backend.value(), new BackendStats(figures.requests(), figures.errors(),
					round(figures.meanMillis()), round(figures.maxMillis())));
		}
		CacheStats cache = this.caches.flatMap((caches) -> caches.snapshot(routeId))
			.map((snapshot) -> new CacheStats(snapshot.entries(), snapshot.weightedBytes(), snapshot.hits(),
					snapshot.misses(), round(snapshot.hitRatio())))
			.orElse(null);
		ShadowView shadow = this.shadow
			.map((reports) -> new ShadowView(reports.stats(routeId), reports.noisyPaths(routeId)))
			.orElse(null);
		// circuits are filled by the resilience feature.
		Object circuits = this.circuits.map((states) -> states.of(routeId))
			.filter((states) -> !states.isEmpty())
			.orElse(null);
		return new Stats(backends, shadow, cache, circuits);
	}

	private static Settings settings(Route route) {
		return new Settings(route.stage().value(), number(route.rollout().percent()));
	}

	static OverrideView override(RouteOverride override) {
		return new OverrideView(override.routeId(), override.stage().map((stage) -> stage.value()).orElse(null),
				override.percent().map(MigrationViews::number).orElse(null), override.who(), override.when().toString(),
				override.reason());
	}

	private static AuditView audit(AuditEntry entry) {
		return new AuditView(entry.when().toString(), entry.who(), entry.action().name().toLowerCase(), entry.reason(),
				entry.before().map(MigrationViews::override).orElse(null),
				entry.after().map(MigrationViews::override).orElse(null));
	}

	private static ErrorView error(ReloadError error) {
		return new ErrorView(error.message(), error.at().toString());
	}

	private static BigDecimal number(Percent percent) {
		return new BigDecimal(percent.toString());
	}

	private static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

	public record Overview(List<RouteView> routes, List<OverrideView> orphanedOverrides, long overridesRevision,
			String routesLoadedAt, @Nullable ErrorView lastReloadError) {

	}

	public record RouteView(String id, String description, String source, List<String> paths, List<String> methods,
			Settings configured, Settings effective, @Nullable OverrideView override, @Nullable String overrideProblem,
			long revision, Map<String, String> backends, @Nullable String stickyBy, Stats stats) {

	}

	/**
	 * A route as {@code GET /actuator/migration/{id}} shows it: its settings, recent
	 * audit trail, evidence and, when it has a {@code progression} block that is acted
	 * on, its progression (absent otherwise).
	 */
	public record RouteDetail(@JsonUnwrapped RouteView route, List<AuditView> audit, EvidenceView evidence,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ProgressionController.ProgressionView progression) {

	}

	/**
	 * A route's figures over the last {@code strangler.evidence.admin-window}: of every
	 * instance ({@code scope} {@code cluster}) with the Redis store, else of this one.
	 */
	public record EvidenceView(String scope, String from, String to, int intervals, EvidenceShadow shadow,
			Map<String, EvidenceBackend> requests, List<ShadowStats.PathCount> topDifferingPaths,
			@Nullable String problem) {

	}

	/**
	 * One mismatch as {@code GET /actuator/migration/{id}/diffs} lists it: the record,
	 * the instance that saw it, and whether the list is every instance's ({@code scope}
	 * {@code cluster}) or only this one's, with the {@code problem} that kept the
	 * cluster's from being read.
	 */
	public record DiffView(@JsonUnwrapped DiffRecord diff, String instance, String scope,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String problem) {

	}

	public record EvidenceShadow(long compared, long match, long mismatch, long error, long skipped, long dropped,
			double mismatchRate) {

	}

	public record EvidenceBackend(long count, long errors, double errorRate, @Nullable Double p99Millis) {

	}

	public record Settings(String stage, BigDecimal percent) {

	}

	public record OverrideView(String route, @Nullable String stage, @Nullable BigDecimal percent, String who,
			String when, String reason) {

	}

	public record AuditView(String when, String who, String action, String reason, @Nullable OverrideView before,
			@Nullable OverrideView after) {

	}

	public record Stats(Map<String, BackendStats> requests, @Nullable ShadowView shadow, @Nullable CacheStats cache,
			@Nullable Object circuits) {

	}

	/**
	 * A route's shadow results and the noise learned for it (path template to noisy JSON
	 * paths), so an operator can turn noise into ignore rules.
	 */
	public record ShadowView(@JsonUnwrapped ShadowStats stats, Map<String, Set<String>> noisyPaths) {

	}

	public record BackendStats(long count, long errors, double meanMillis, double maxMillis) {

	}

	public record CacheStats(long entries, long bytes, long hits, long misses, double hitRatio) {

	}

	public record ErrorView(String message, String at) {

	}

	public record ReloadView(String result, List<String> routes, List<String> added, List<String> removed,
			@Nullable ErrorView error) {

	}

}
