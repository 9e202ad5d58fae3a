package dev.strangler.gateway.evidence;

import java.util.List;

/**
 * Where each flush of the local counts goes to be shared with the other instances.
 */
@FunctionalInterface
public interface EvidenceSink {

	/**
	 * Adds the counts into the shared buckets, all or nothing.
	 * @param deltas what was counted since the last flush
	 * @throws RuntimeException when the counts could not be written (they are then left
	 * out of the shared figures; the local ones keep them)
	 */
	void write(List<BucketDelta> deltas);

}
