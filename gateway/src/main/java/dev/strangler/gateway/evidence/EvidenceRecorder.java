package dev.strangler.gateway.evidence;

import dev.strangler.gateway.compare.DiffRecord;

/**
 * Where the shadow path counts its results for the evidence. Called on the mirrors'
 * threads: quick and never blocking.
 */
@FunctionalInterface
public interface EvidenceRecorder {

	/** Counts nothing, for tests and a gateway without evidence. */
	EvidenceRecorder NONE = (routeId, result) -> {
	};

	/**
	 * Counts one mirrored request.
	 * @param routeId the route
	 * @param result what became of it
	 */
	void shadow(String routeId, ShadowResult result);

	/**
	 * Keeps one mismatch for the cluster's recent diffs and counts its differing paths.
	 * Called before the mismatch is {@linkplain #shadow counted}.
	 * @param routeId the route
	 * @param record the mismatch
	 */
	default void differed(String routeId, DiffRecord record) {
	}

}
