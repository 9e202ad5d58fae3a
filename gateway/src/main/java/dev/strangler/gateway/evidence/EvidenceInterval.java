package dev.strangler.gateway.evidence;

import java.time.Instant;

/**
 * The figures of one time bucket.
 *
 * @param start when the bucket starts (it lasts {@code strangler.evidence.bucket})
 * @param figures what happened in it
 */
public record EvidenceInterval(Instant start, EvidenceFigures figures) {

}
