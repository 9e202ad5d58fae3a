package dev.strangler.gateway.evidence;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.strangler.gateway.compare.DiffRecord;

/**
 * What one instance counted and recorded for one route since its last flush, to add into
 * one time bucket.
 *
 * @param routeId the route
 * @param start start of the time bucket
 * @param slots the counts, laid out as {@link EvidenceSlots}; zeros are left out when
 * written
 * @param paths how many mismatches each differing path template appeared in, at most
 * {@link #MAX_PATHS} of them
 * @param diffs the mismatches recorded, oldest first, at most
 * {@code strangler.evidence.diffs-per-route} of them
 */
public record BucketDelta(String routeId, Instant start, long[] slots, Map<String, Long> paths,
		List<DiffRecord> diffs) {

	/**
	 * Distinct differing paths counted per route and time bucket: array indexes are
	 * folded into {@code [*]}, yet keys of a JSON map could still be endless. Later new
	 * paths of a full bucket are not counted.
	 */
	public static final int MAX_PATHS = 100;

	public BucketDelta {
		Objects.requireNonNull(routeId, "routeId");
		Objects.requireNonNull(start, "start");
		if (slots.length != EvidenceSlots.COUNT) {
			throw new IllegalArgumentException(
					"slots must have " + EvidenceSlots.COUNT + " counts but had " + slots.length);
		}
		paths = Map.copyOf(paths);
		diffs = List.copyOf(diffs);
	}

	/**
	 * A delta of counts only.
	 * @param routeId the route
	 * @param start start of the time bucket
	 * @param slots the counts
	 */
	public BucketDelta(String routeId, Instant start, long[] slots) {
		this(routeId, start, slots, Map.of(), List.of());
	}

}
