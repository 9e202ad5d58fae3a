package dev.strangler.gateway.dashboard;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.strangler.gateway.admin.MigrationAdmin;
import dev.strangler.gateway.admin.MigrationViews;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.shadow.ShadowStats;
import dev.strangler.gateway.state.Actor;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The dashboard's pages and actions. Everything is read from, and every change made
 * through, {@link MigrationAdmin}: the same views and the same audited override service
 * as the admin API, never a copy of their logic. Admin calls may touch the state file and
 * the audit log, so they run off the event loop.
 */
final class DashboardPages {

	/** Diffs listed on a route page; the rest stay in the admin API. */
	static final int DIFFS_LISTED = 20;

	private final MigrationAdmin admin;

	private final RequestLatencies latencies;

	private final MismatchHistory history;

	DashboardPages(MigrationAdmin admin, RequestLatencies latencies, MismatchHistory history) {
		this.admin = admin;
		this.latencies = latencies;
		this.history = history;
	}

	Mono<ServerResponse> login(ServerRequest request) {
		Map<String, Object> model = new HashMap<>();
		model.put("error", request.queryParam("error").isPresent());
		model.put("loggedOut", request.queryParam("logout").isPresent());
		return page(request, "dashboard/login", model, HttpStatus.OK);
	}

	Mono<ServerResponse> board(ServerRequest request) {
		return blocking(this::boardModel).flatMap((model) -> page(request, "dashboard/board", model, HttpStatus.OK));
	}

	/** The board's rows alone, which the page's script polls to stay live. */
	Mono<ServerResponse> boardRows(ServerRequest request) {
		return blocking(this::boardModel).flatMap((model) -> ServerResponse.ok()
			.contentType(MediaType.TEXT_HTML)
			.header("Cache-Control", "no-store")
			.render("dashboard/board :: rows", model));
	}

	Mono<ServerResponse> route(ServerRequest request) {
		String id = request.pathVariable("id");
		Map<String, Object> model = new HashMap<>();
		request.queryParam("changed").ifPresent((changed) -> model.put("changed", changed));
		return routePage(request, id, model, HttpStatus.OK);
	}

	Mono<ServerResponse> diff(ServerRequest request) {
		String id = request.pathVariable("id");
		Optional<Instant> at = request.queryParam("at").flatMap(DashboardPages::instant);
		return blocking(() -> {
			Optional<DiffRecord> record = at.flatMap((time) -> this.admin.diffs(id)
				.stream()
				.filter((candidate) -> candidate.time().equals(time))
				.findFirst());
			Map<String, Object> model = new HashMap<>();
			model.put("routeId", id);
			record.ifPresent((found) -> {
				Set<String> paths = found.differences().stream().map(Difference::path).collect(Collectors.toSet());
				model.put("diff", found);
				model.put("legacyLines",
						(found.legacyBody() != null) ? JsonLines.of(found.legacyBody().text(), paths) : List.of());
				model.put("targetLines",
						(found.targetBody() != null) ? JsonLines.of(found.targetBody().text(), paths) : List.of());
				List<String> ignorable = found.differences()
					.stream()
					.map(Difference::pathTemplate)
					.filter((path) -> path.startsWith("$"))
					.toList();
				if (!ignorable.isEmpty()) {
					model.put("ignoreYaml", IgnoreRules.yaml(id, ignorable));
				}
			});
			return model;
		}).flatMap((model) -> page(request, "dashboard/diff", model,
				model.containsKey("diff") ? HttpStatus.OK : HttpStatus.NOT_FOUND));
	}

	Mono<ServerResponse> setOverride(ServerRequest request) {
		String id = request.pathVariable("id");
		return request.formData().zipWith(actor(request)).flatMap((form) -> {
			MultiValueMap<String, String> fields = form.getT1();
			String stage = blankToNull(fields.getFirst("stage"));
			String percent = blankToNull(fields.getFirst("percent"));
			String reason = blankToNull(fields.getFirst("reason"));
			if (reason == null) {
				return refused(request, id, "A reason is required: it goes into the audit trail.");
			}
			if (stage != null && !"canary".equals(stage)) {
				// the percent field only means something to a canary; elsewhere it
				// would silently change what a later canary starts from
				percent = null;
			}
			String confirmation = needsConfirmation(id, stage);
			if (confirmation != null && !"yes".equals(fields.getFirst("confirmed"))) {
				Map<String, Object> model = new HashMap<>();
				model.put("routeId", id);
				model.put("stage", stage);
				model.put("percent", percent);
				model.put("reason", reason);
				model.put("what", confirmation);
				return page(request, "dashboard/confirm", model, HttpStatus.OK);
			}
			String wantedPercent = percent;
			return blocking(() -> this.admin.setOverride(id, stage, wantedPercent, reason, form.getT2()))
				.flatMap((view) -> changed(id, "override"))
				.onErrorResume(MigrationAdmin.Refused.class, (ex) -> refused(request, id, ex));
		});
	}

	Mono<ServerResponse> clearOverride(ServerRequest request) {
		String id = request.pathVariable("id");
		return request.formData().zipWith(actor(request)).flatMap((form) -> {
			String reason = blankToNull(form.getT1().getFirst("reason"));
			return blocking(() -> this.admin.clearOverride(id, reason, form.getT2()))
				.flatMap((view) -> changed(id, "cleared"))
				.onErrorResume(MigrationAdmin.Refused.class, (ex) -> refused(request, id, ex));
		});
	}

	Mono<ServerResponse> evictCache(ServerRequest request) {
		String id = request.pathVariable("id");
		return blocking(() -> this.admin.evictCache(id)).flatMap((emptied) -> changed(id, "evicted"))
			.onErrorResume(MigrationAdmin.Refused.class, (ex) -> refused(request, id, ex));
	}

	/**
	 * What a change to {@code stage} needs confirming for: cutting over to the target, or
	 * rolling back to legacy.
	 */
	private String needsConfirmation(String id, String stage) {
		if ("migrated".equals(stage)) {
			return "cut over: every request of route '" + id + "' goes to the target";
		}
		if ("legacy".equals(stage)) {
			boolean moved = this.admin.route(id)
				.map((detail) -> !"legacy".equals(detail.route().effective().stage()))
				.orElse(false);
			return moved ? "roll back: every request of route '" + id + "' goes to legacy, nothing is mirrored" : null;
		}
		return null;
	}

	private Map<String, Object> boardModel() {
		MigrationViews.Overview overview = this.admin.overview();
		List<BoardRow> rows = overview.routes()
			.stream()
			.map((route) -> BoardRow.of(route, this.latencies))
			.sorted(BoardRow.BY_PROGRESS)
			.toList();
		Map<String, Object> model = new HashMap<>();
		model.put("board", new BoardRow.Board(rows, this.latencies.unroutedShare(), overview));
		return model;
	}

	private Mono<ServerResponse> routePage(ServerRequest request, String id, Map<String, Object> extra,
			HttpStatus status) {
		return blocking(() -> this.admin.route(id).map((detail) -> {
			Map<String, Object> model = new HashMap<>(extra);
			MigrationViews.RouteView route = detail.route();
			model.put("detail", detail);
			model.put("row", BoardRow.of(route, this.latencies));
			ShadowStats shadow = (route.stats().shadow() != null) ? route.stats().shadow().stats() : ShadowStats.NONE;
			model.put("shadow", shadow);
			model.put("noise", noise(id, route));
			model.put("chart", MismatchChart.of(this.history.points(id)));
			List<DiffRecord> diffs = this.admin.diffs(id);
			model.put("diffs", diffs.subList(0, Math.min(DIFFS_LISTED, diffs.size())));
			model.put("diffCount", diffs.size());
			model.put("hasCache", this.admin.hasCache(id));
			model.put("hasTarget", route.backends().get("target") != null);
			model.put("stages", List.of(Stage.values()).stream().map(Stage::value).toList());
			return model;
		})).flatMap((model) -> model.isPresent() ? page(request, "dashboard/route", model.get(), status)
				: page(request, "dashboard/unknown", Map.of("routeId", id), HttpStatus.NOT_FOUND));
	}

	/** Learned noise per path key, each with the YAML that makes it a rule. */
	private static List<Noise> noise(String id, MigrationViews.RouteView route) {
		if (route.stats().shadow() == null) {
			return List.of();
		}
		List<Noise> noise = new ArrayList<>();
		new LinkedHashMap<>(route.stats().shadow().noisyPaths()).forEach(
				(pathKey, paths) -> noise.add(new Noise(pathKey, List.copyOf(paths), IgnoreRules.yaml(id, paths))));
		return noise;
	}

	private Mono<ServerResponse> refused(ServerRequest request, String id, MigrationAdmin.Refused refused) {
		Map<String, Object> model = new HashMap<>();
		model.put("error",
				(refused.field() != null) ? refused.field() + ": " + refused.getMessage() : refused.getMessage());
		return routePage(request, id, model, refused.status());
	}

	private Mono<ServerResponse> refused(ServerRequest request, String id, String message) {
		return routePage(request, id, Map.of("error", message), HttpStatus.BAD_REQUEST);
	}

	/** Post, redirect, get: a reload of the page never repeats the change. */
	private static Mono<ServerResponse> changed(String id, String what) {
		return ServerResponse.seeOther(URI.create(DashboardRoutes.BASE + "routes/" + id + "?changed=" + what)).build();
	}

	private static Mono<ServerResponse> page(ServerRequest request, String template, Map<String, Object> model,
			HttpStatus status) {
		Mono<CsrfToken> token = request.exchange().getAttribute(CsrfToken.class.getName());
		return ((token != null) ? token.map(Optional::of) : Mono.just(Optional.<CsrfToken>empty()))
			.defaultIfEmpty(Optional.empty())
			.flatMap((csrf) -> {
				Map<String, Object> full = new HashMap<>(model);
				csrf.ifPresent((value) -> full.put("_csrf", value));
				return ServerResponse.status(status).contentType(MediaType.TEXT_HTML).render(template, full);
			});
	}

	private static Mono<Actor> actor(ServerRequest request) {
		// the security chain lets only the admin in, so a principal is always there
		return request.principal().map((principal) -> Actor.operator(principal.getName()));
	}

	private static <T> Mono<T> blocking(Callable<T> call) {
		return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private static Optional<Instant> instant(String text) {
		try {
			return Optional.of(Instant.parse(text));
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

	@Override
	public String toString() {
		return "DashboardPages[" + this.admin + "]";
	}

	/**
	 * Noise learned for one path key of a route.
	 *
	 * @param pathKey the route pattern the requests matched
	 * @param paths the JSON paths that differ between two legacy answers
	 * @param yaml the ignore rule to paste into the route file
	 */
	record Noise(String pathKey, List<String> paths, String yaml) {

	}

}
