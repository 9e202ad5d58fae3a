package dev.strangler.gateway.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.lang.Nullable;
import org.springframework.web.util.pattern.PathPattern;

/**
 * An immutable, validated set of routes that answers which route claims a request.
 *
 * <pre class="code">
 * table.match("/api/products/42", HttpMethod.GET).map(RouteMatch::route); // catalog
 * </pre>
 *
 * When several routes match, the one with the most specific pattern wins
 * ({@link PathPattern#SPECIFICITY_COMPARATOR}); validation guarantees there is no tie.
 */
public final class RouteTable {

	/** A table without routes: every request goes to legacy. */
	public static final RouteTable EMPTY = new RouteTable(List.of());

	private final Map<String, Route> routes;

	/**
	 * Every pattern of every route, most specific first: compiled once per table, so that
	 * matching is a loop that stops at the first pattern that matches.
	 */
	private final RouteMatch[] plan;

	private RouteTable(List<Route> routes) {
		Map<String, Route> byId = new LinkedHashMap<>();
		routes.forEach((route) -> byId.put(route.id(), route));
		this.routes = Collections.unmodifiableMap(byId);
		List<RouteMatch> patterns = new ArrayList<>();
		routes.forEach(
				(route) -> route.match().paths().forEach((pattern) -> patterns.add(new RouteMatch(route, pattern))));
		// Stable: equally specific patterns keep file order (validation rules out ties
		// between routes that could claim the same request).
		patterns.sort(Comparator.comparing(RouteMatch::pattern, PathPattern.SPECIFICITY_COMPARATOR));
		this.plan = patterns.toArray(RouteMatch[]::new);
	}

	/**
	 * Creates a table from routes that were validated together.
	 * @param routes the routes, ids unique
	 * @return the table
	 */
	public static RouteTable of(List<Route> routes) {
		return new RouteTable(routes);
	}

	/**
	 * The route claiming a request, if any.
	 * @param path the request path within the application
	 * @param method the request method
	 * @return the most specific match
	 */
	public Optional<RouteMatch> match(PathContainer path, HttpMethod method) {
		return Optional.ofNullable(find(path, method));
	}

	/**
	 * The route claiming a request, without allocating: the most specific pattern that
	 * matches, of a route that allows the method. For the request path.
	 * @param path the request path within the application
	 * @param method the request method
	 * @return the most specific match, or {@code null} when no route claims the request
	 */
	@Nullable
	public RouteMatch find(PathContainer path, HttpMethod method) {
		for (RouteMatch candidate : this.plan) {
			if (candidate.route().match().allows(method) && candidate.pattern().matches(path)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * The route claiming a request, if any.
	 * @param path the raw request path, for example {@code /api/products/42}
	 * @param method the request method
	 * @return the most specific match
	 */
	public Optional<RouteMatch> match(String path, HttpMethod method) {
		return match(PathContainer.parsePath(path), method);
	}

	/**
	 * A route by id.
	 * @param id the route id
	 * @return the route
	 */
	public Optional<Route> route(String id) {
		return Optional.ofNullable(this.routes.get(id));
	}

	/**
	 * Every route, in file order.
	 * @return the routes
	 */
	public List<Route> routes() {
		return List.copyOf(this.routes.values());
	}

	@Override
	public String toString() {
		return "RouteTable" + this.routes.keySet();
	}

}
