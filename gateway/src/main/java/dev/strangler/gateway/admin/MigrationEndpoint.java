package dev.strangler.gateway.admin;

import java.util.Map;

import dev.strangler.gateway.control.ReloadResult;
import dev.strangler.gateway.control.RouteControl;
import dev.strangler.gateway.state.Actor;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;

/**
 * The admin API, {@code /actuator/migration} on the management port (DESIGN §4,
 * docs/admin-api.md): every route's configured and effective stage and percent, its
 * override and live figures; setting and clearing overrides; emptying a route's cache;
 * reloading the route files.
 *
 * <pre class="code">
 * curl -u admin:$STRANGLER_ADMIN_PASSWORD -H 'Content-Type: application/json' \
 *   -d '{"stage":"canary","percent":25,"reason":"ramp up"}' localhost:9090/actuator/migration/catalog
 * </pre>
 *
 * Errors are {@code application/problem+json}; a body field that is wrong is named in
 * {@code field}.
 */
@Endpoint(id = MigrationEndpoint.ID)
final class MigrationEndpoint {

	static final String ID = "migration";

	/** Not a route id (route files may not use it): the reload action. */
	static final String RELOAD = "reload";

	private static final String BASE = "/actuator/" + ID;

	private final RouteControl control;

	private final MigrationAdmin admin;

	MigrationEndpoint(RouteControl control, MigrationAdmin admin) {
		this.control = control;
		this.admin = admin;
	}

	@ReadOperation
	MigrationViews.Overview routes() {
		return this.admin.overview();
	}

	@ReadOperation
	WebEndpointResponse<Object> route(@Selector String id) {
		return this.admin.route(id)
			.<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
			.orElseGet(() -> AdminProblem.unknownRoute(id, BASE + "/" + id));
	}

	@ReadOperation
	WebEndpointResponse<Object> routePart(@Selector String id, @Selector String part) {
		String instance = BASE + "/" + id + "/" + part;
		if (!"diffs".equals(part)) {
			return AdminProblem.of(HttpStatus.NOT_FOUND, "Unknown resource '" + part + "'; try diffs", instance);
		}
		if (this.control.state().route(id).isEmpty()) {
			return AdminProblem.unknownRoute(id, instance);
		}
		// the most recent mismatches of the shadow comparison, newest first
		return new WebEndpointResponse<>(MigrationViews.diffs(this.admin.recentDiffs(id)));
	}

	/**
	 * Sets a route's override ({@code stage}, {@code percent} or both, laid over the
	 * override already set), or reloads the route files for the reserved id
	 * {@value #RELOAD}.
	 */
	@WriteOperation
	WebEndpointResponse<Object> write(@Selector String id, @Nullable String stage, @Nullable String percent,
			@Nullable String reason, @Nullable String revision, SecurityContext security) {
		String instance = BASE + "/" + id;
		if (RELOAD.equals(id)) {
			if (stage != null || percent != null || revision != null) {
				return AdminProblem.badRequest((stage != null) ? "stage" : (percent != null) ? "percent" : "revision",
						"reload takes no stage, percent or revision", instance);
			}
			return reload(instance);
		}
		try {
			return new WebEndpointResponse<>(
					this.admin.setOverride(id, stage, percent, reason, revision, actor(security)));
		}
		catch (MigrationAdmin.Refused ex) {
			return problem(ex, id, instance);
		}
	}

	@DeleteOperation
	WebEndpointResponse<Object> clear(@Selector String id, @Nullable String revision, SecurityContext security) {
		try {
			return this.admin.clearOverride(id, "", revision, actor(security))
				.<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
				.orElseGet(() -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT));
		}
		catch (MigrationAdmin.Refused ex) {
			return problem(ex, id, BASE + "/" + id);
		}
	}

	@DeleteOperation
	WebEndpointResponse<Object> clearPart(@Selector String id, @Selector String part) {
		String instance = BASE + "/" + id + "/" + part;
		if (!"cache".equals(part)) {
			return AdminProblem.of(HttpStatus.NOT_FOUND, "Unknown resource '" + part + "'; try cache", instance);
		}
		try {
			return new WebEndpointResponse<>(new CacheEviction(id, this.admin.evictCache(id)));
		}
		catch (MigrationAdmin.Refused ex) {
			return problem(ex, id, instance);
		}
	}

	private WebEndpointResponse<Object> reload(String instance) {
		ReloadResult result = this.admin.reload();
		MigrationViews.ReloadView view = MigrationViews.reload(result);
		if (result.succeeded()) {
			return new WebEndpointResponse<>(view);
		}
		Map<String, Object> problem = AdminProblem.problem(HttpStatus.UNPROCESSABLE_ENTITY,
				"The route files were not applied; the routes in force are kept. " + view.error().message(), instance);
		problem.put("routesInForce", view.routes());
		return new WebEndpointResponse<>(problem, HttpStatus.UNPROCESSABLE_ENTITY.value(), AdminProblem.PROBLEM_JSON);
	}

	private static WebEndpointResponse<Object> problem(MigrationAdmin.Refused refused, String id, String instance) {
		if (refused.status() == HttpStatus.NOT_FOUND) {
			return AdminProblem.unknownRoute(id, instance);
		}
		if (refused instanceof MigrationAdmin.Conflict conflict) {
			Map<String, Object> problem = AdminProblem.problem(HttpStatus.CONFLICT, conflict.getMessage(), instance);
			problem.put("route", id);
			problem.put("revision", conflict.current());
			problem.put("override", conflict.override());
			return new WebEndpointResponse<>(problem, HttpStatus.CONFLICT.value(), AdminProblem.PROBLEM_JSON);
		}
		if (refused.field() != null) {
			return AdminProblem.badRequest(refused.field(), refused.getMessage(), instance);
		}
		return AdminProblem.of(refused.status(), refused.getMessage(), instance);
	}

	private static Actor actor(SecurityContext security) {
		// Security guarantees a principal here; the fallback keeps the audit trail whole
		// should the endpoint ever be exposed without it.
		return (security.getPrincipal() != null) ? Actor.operator(security.getPrincipal().getName())
				: Actor.operator("anonymous");
	}

	@Override
	public String toString() {
		return "MigrationEndpoint[" + this.control + "]";
	}

	/**
	 * The answer of {@code DELETE /actuator/migration/{id}/cache}.
	 *
	 * @param route the route
	 * @param emptied whether there was a cache to empty (one is built on first use)
	 */
	record CacheEviction(String route, boolean emptied) {

	}

}
