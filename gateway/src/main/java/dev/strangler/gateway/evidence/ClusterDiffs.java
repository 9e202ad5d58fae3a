package dev.strangler.gateway.evidence;

import java.util.List;
import java.util.function.Supplier;

import dev.strangler.gateway.compare.DiffRecord;

/**
 * The latest shadow mismatches of a route, for every gateway instance: with the Redis
 * state store the capped list every instance adds its mismatches to in its evidence
 * flush; with the file store this instance's own. What {@code GET
 * /actuator/migration/{id}/diffs} shows.
 *
 * <pre class="code">
 * RecentDiffs diffs = clusterDiffs.recent("catalog", () -&gt; shadowReports.diffs("catalog"));
 * diffs.diffs().get(0).instance(); // which gateway saw the newest one
 * </pre>
 */
@FunctionalInterface
public interface ClusterDiffs {

	/**
	 * The route's latest mismatches, newest first. May wait for Redis up to
	 * {@code strangler.state.redis.timeout}: never call it on an event loop. Never fails:
	 * when the shared list cannot be read it answers {@code own}, with
	 * {@link EvidenceWindow.Scope#INSTANCE} and the problem.
	 * @param routeId the route
	 * @param own this instance's mismatches, newest first
	 * @return the mismatches
	 */
	RecentDiffs recent(String routeId, Supplier<List<DiffRecord>> own);

}
