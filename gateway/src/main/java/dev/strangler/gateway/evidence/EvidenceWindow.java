package dev.strangler.gateway.evidence;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.strangler.gateway.compare.PathCounts;

/**
 * The figures of one route over a window of time, bucket by bucket.
 *
 * @param routeId the route
 * @param from start of the first bucket in the window
 * @param to when the window was read
 * @param scope whose requests are counted: every instance, or only the one asked
 * @param intervals the buckets that saw anything, oldest first
 * @param problem why the figures are only this instance's when the cluster's were asked
 * for but could not be read
 */
public record EvidenceWindow(String routeId, Instant from, Instant to, Scope scope, List<EvidenceInterval> intervals,
		Optional<String> problem) {

	public EvidenceWindow {
		intervals = List.copyOf(intervals);
	}

	/**
	 * Every bucket of the window added up.
	 * @return the figures of the whole window
	 */
	public EvidenceFigures total() {
		EvidenceFigures total = EvidenceFigures.NONE;
		for (EvidenceInterval interval : this.intervals) {
			total = total.plus(interval.figures());
		}
		return total;
	}

	/**
	 * The path templates that differed most often over the window.
	 * @param limit most paths answered
	 * @return path template to the number of mismatches it appeared in, most frequent
	 * first (ties by path)
	 */
	public Map<String, Long> topDifferingPaths(int limit) {
		Map<String, Long> counts = new HashMap<>();
		for (EvidenceInterval interval : this.intervals) {
			interval.paths().forEach((path, count) -> counts.merge(path, count, Long::sum));
		}
		return PathCounts.top(counts, limit);
	}

	/**
	 * Whose requests a window counts.
	 */
	public enum Scope {

		/** Every gateway instance sharing the Redis store. */
		CLUSTER,

		/** Only the instance asked (file store, or Redis unreachable). */
		INSTANCE

	}

}
