package dev.strangler.gateway.routing;

import java.net.URI;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;

import org.springframework.lang.Nullable;

/**
 * Where a request goes on its backend: the backend's base URL (of the route table in
 * force, rendered once per table) followed by the client's raw path and query, exactly as
 * sent. Used by {@link BackendRoutingFilter} in the filter chain and by the front for the
 * requests it passes straight through to legacy.
 *
 * <pre>{@code
 * URI url = urls.of(route, Backend.LEGACY, request.getURI()); // route null: the default legacy
 * }</pre>
 */
public final class BackendUrls {

	private final RouteTableHolder routes;

	private final URI defaultLegacy;

	/** The backends' base URLs of the table in force, rebuilt when a reload swaps it. */
	private volatile BackendBases bases;

	BackendUrls(RouteTableHolder routes, URI defaultLegacy) {
		this.routes = routes;
		this.defaultLegacy = defaultLegacy;
		this.bases = BackendBases.of(routes.current(), defaultLegacy);
	}

	/**
	 * The URL of a request on its backend.
	 * @param route the route claiming it, {@code null} for the default legacy
	 * @param backend the backend serving it
	 * @param requestUri the client's URI
	 * @return the backend URL, with the raw path and query as the client sent them
	 */
	public URI of(@Nullable Route route, Backend backend, URI requestUri) {
		// The client's own URI, raw: a UriComponentsBuilder (RouteToRequestUrlFilter's)
		// collapses "//", and the backend must get the path exactly as sent.
		return basesOf(this.routes.current()).rebase(route, backend, requestUri.getRawPath(), requestUri.getRawQuery());
	}

	private BackendBases basesOf(RouteTable table) {
		BackendBases bases = this.bases;
		if (!bases.isOf(table)) {
			// A reload swapped the table: its bases are rendered once, by the first
			// request that sees it.
			bases = BackendBases.of(table, this.defaultLegacy);
			this.bases = bases;
		}
		return bases;
	}

	@Override
	public String toString() {
		return "BackendUrls[default=" + this.defaultLegacy + "]";
	}

}
