package dev.strangler.gateway.evidence;

import java.time.Duration;

/**
 * The figures of a route over the last stretch of time, for every gateway instance:
 * shadow comparisons, mismatch rate, and requests, errors and latency per backend. With
 * the Redis state store they are summed over every instance; with the file store they are
 * the instance's own. This is what an operator reads in {@code GET
 * /actuator/migration/{id}} and what automatic promotion decides on.
 *
 * <pre class="code">
 * EvidenceWindow lastMinute = evidence.window("catalog", Duration.ofMinutes(1));
 * double mismatchRate = lastMinute.total().shadow().mismatchRate();
 * Optional&lt;Duration&gt; targetP99 = lastMinute.total().target().p99();
 * </pre>
 *
 * Figures reach the shared view once a second ({@code strangler.evidence.flush-interval})
 * and are kept for {@code strangler.evidence.retention}.
 */
@FunctionalInterface
public interface ClusterEvidence {

	/**
	 * The figures of a route over the last {@code span}, bucket by bucket. May wait for
	 * Redis up to {@code strangler.state.redis.timeout}: never call it on an event loop.
	 * Never fails: when the shared figures cannot be read it answers this instance's,
	 * with {@link EvidenceWindow.Scope#INSTANCE} and the problem.
	 * @param routeId the route
	 * @param span how far back, rounded out to whole buckets
	 * @return the figures
	 */
	EvidenceWindow window(String routeId, Duration span);

}
