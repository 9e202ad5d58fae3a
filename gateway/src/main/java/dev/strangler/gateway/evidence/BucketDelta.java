package dev.strangler.gateway.evidence;

import java.time.Instant;
import java.util.Objects;

/**
 * What one instance counted for one route since its last flush, to add into one time
 * bucket.
 *
 * @param routeId the route
 * @param start start of the time bucket
 * @param slots the counts, laid out as {@link EvidenceSlots}; zeros are left out when
 * written
 */
public record BucketDelta(String routeId, Instant start, long[] slots) {

	public BucketDelta {
		Objects.requireNonNull(routeId, "routeId");
		Objects.requireNonNull(start, "start");
		if (slots.length != EvidenceSlots.COUNT) {
			throw new IllegalArgumentException(
					"slots must have " + EvidenceSlots.COUNT + " counts but had " + slots.length);
		}
	}

}
