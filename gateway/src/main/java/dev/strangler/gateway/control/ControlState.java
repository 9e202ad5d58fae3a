package dev.strangler.gateway.control;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.state.OverrideSnapshot;
import dev.strangler.gateway.state.RouteOverride;

/**
 * Everything the control plane knows at one moment, immutable: the route files, the
 * overrides, the routes they make together, and how the last reload went.
 *
 * @param files the routes as the files define them
 * @param overrides the overrides at some revision of the store
 * @param routes every route of the files, in file order, with its override applied
 * @param orphans overrides whose route no longer exists; kept (the route may come back),
 * never applied
 * @param loadedAt when the files in force were loaded
 * @param lastReloadError why the most recent reload was rejected; empty once one succeeds
 */
public record ControlState(RouteTable files, OverrideSnapshot overrides, Map<String, ControlledRoute> routes,
		List<RouteOverride> orphans, Instant loadedAt, Optional<ReloadError> lastReloadError) {

	public ControlState {
		routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
		orphans = List.copyOf(orphans);
	}

	static ControlState of(RouteTable files, OverrideSnapshot overrides, Instant loadedAt,
			Optional<ReloadError> lastReloadError) {
		Map<String, ControlledRoute> routes = new LinkedHashMap<>();
		files.routes().forEach((route) -> routes.put(route.id(), ControlledRoute.of(route, overrides.get(route.id()))));
		List<RouteOverride> orphans = overrides.overrides()
			.values()
			.stream()
			.filter((override) -> !routes.containsKey(override.routeId()))
			.sorted(Comparator.comparing(RouteOverride::routeId))
			.toList();
		return new ControlState(files, overrides, routes, orphans, loadedAt, lastReloadError);
	}

	/**
	 * The table routing uses: every route with its override applied.
	 * @return the effective table
	 */
	RouteTable effectiveTable() {
		return RouteTable.of(this.routes.values().stream().map(ControlledRoute::effective).toList());
	}

	/**
	 * One route.
	 * @param id the route id
	 * @return the route, empty when no file defines it
	 */
	public Optional<ControlledRoute> route(String id) {
		return Optional.ofNullable(this.routes.get(id));
	}

}
