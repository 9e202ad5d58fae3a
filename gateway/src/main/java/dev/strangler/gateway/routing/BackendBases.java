package dev.strangler.gateway.routing;

import java.net.URI;
import java.util.IdentityHashMap;
import java.util.Map;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTable;

/**
 * The base URLs of one route table's backends, pre-rendered as the prefix that a
 * request's raw path and query are appended to ({@code http://svc:8080/base}). Built once
 * per table, when the first request sees it, so that moving a request onto its backend is
 * one string concatenation and one URI parse.
 *
 * <pre class="code">
 * BackendBases bases = BackendBases.of(table, URI.create("http://legacy:8081"));
 * bases.rebase(route, Backend.TARGET, "/api/products/42", "page=2"); // http://svc/api/products/42?page=2
 * </pre>
 */
final class BackendBases {

	private final RouteTable table;

	private final String defaultLegacy;

	private final Map<Route, String[]> prefixes;

	private BackendBases(RouteTable table, String defaultLegacy, Map<Route, String[]> prefixes) {
		this.table = table;
		this.defaultLegacy = defaultLegacy;
		this.prefixes = prefixes;
	}

	/**
	 * Renders the bases of every route of a table.
	 * @param table the route table
	 * @param defaultLegacy where requests no route claims go
	 * @return the bases
	 */
	static BackendBases of(RouteTable table, URI defaultLegacy) {
		// By identity: a table's routes are the keys, looked up with the very instances.
		Map<Route, String[]> prefixes = new IdentityHashMap<>();
		for (Route route : table.routes()) {
			String[] byBackend = new String[Backend.values().length];
			byBackend[Backend.LEGACY.ordinal()] = BackendUrl.prefix(route.legacy());
			byBackend[Backend.TARGET.ordinal()] = (route.target() != null) ? BackendUrl.prefix(route.target()) : null;
			prefixes.put(route, byBackend);
		}
		return new BackendBases(table, BackendUrl.prefix(defaultLegacy), prefixes);
	}

	/**
	 * Whether these are the bases of a table.
	 * @param table the table in force
	 * @return {@code true} when built from that very table
	 */
	boolean isOf(RouteTable table) {
		return this.table == table;
	}

	/**
	 * The request URL moved onto a route's backend.
	 * @param route a route of this table, or {@code null} for the default upstream
	 * @param backend the backend
	 * @param rawPath the request's raw (still encoded) path
	 * @param rawQuery the request's raw query, or {@code null}
	 * @return the backend URL
	 */
	URI rebase(Route route, Backend backend, String rawPath, String rawQuery) {
		String prefix = this.defaultLegacy;
		if (route != null) {
			String[] byBackend = this.prefixes.get(route);
			prefix = (byBackend != null) ? byBackend[backend.ordinal()]
					: BackendUrl.prefix((backend == Backend.TARGET) ? route.target() : route.legacy());
		}
		return BackendUrl.join(prefix, rawPath, rawQuery);
	}

	@Override
	public String toString() {
		return "BackendBases[" + this.table + ", default=" + this.defaultLegacy + "]";
	}

}
