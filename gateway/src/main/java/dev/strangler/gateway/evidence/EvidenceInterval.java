package dev.strangler.gateway.evidence;

import java.time.Instant;
import java.util.Map;

/**
 * The figures of one time bucket.
 *
 * @param start when the bucket starts (it lasts {@code strangler.evidence.bucket})
 * @param figures what happened in it
 * @param paths how many mismatches each differing path template appeared in (at most
 * {@link BucketDelta#MAX_PATHS} paths)
 */
public record EvidenceInterval(Instant start, EvidenceFigures figures, Map<String, Long> paths) {

	public EvidenceInterval {
		paths = Map.copyOf(paths);
	}

	/**
	 * A bucket without differing paths.
	 * @param start when the bucket starts
	 * @param figures what happened in it
	 */
	public EvidenceInterval(Instant start, EvidenceFigures figures) {
		this(start, figures, Map.of());
	}

}
