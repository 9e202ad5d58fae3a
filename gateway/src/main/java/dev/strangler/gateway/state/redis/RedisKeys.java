package dev.strangler.gateway.state.redis;

import java.util.List;
import java.util.Objects;

/**
 * The Redis keys and channels of one gateway cluster, all under one prefix so several
 * clusters can share a Redis.
 *
 * @param prefix the common prefix, for example {@code strangler}
 */
record RedisKeys(String prefix) {

	RedisKeys {
		Objects.requireNonNull(prefix, "prefix");
	}

	/** Hash: route id to the override's JSON. */
	String overrides() {
		return this.prefix + ":overrides";
	}

	/** Hash: route id to its revision. */
	String routeRevisions() {
		return this.prefix + ":route-revisions";
	}

	/** String: the store's revision, one more with every change. */
	String revision() {
		return this.prefix + ":revision";
	}

	/** Stream: the audit trail, capped. */
	String audit() {
		return this.prefix + ":audit";
	}

	/** Channel: the store's revision after each change. */
	String changes() {
		return this.prefix + ":changes";
	}

	/** Channel: cache evictions and reload requests for every instance. */
	String events() {
		return this.prefix + ":events";
	}

	/**
	 * Hash: one route's evidence counts of one time bucket, field per count.
	 * @param routeId the route
	 * @param bucketStart start of the bucket, epoch seconds
	 */
	String evidence(String routeId, long bucketStart) {
		return this.prefix + ":evidence:" + routeId + ":" + bucketStart;
	}

	/**
	 * Hash: path template to the number of mismatches it differed in, for one route and
	 * time bucket.
	 * @param routeId the route
	 * @param bucketStart start of the bucket, epoch seconds
	 */
	String evidencePaths(String routeId, long bucketStart) {
		return this.prefix + ":evidence-paths:" + routeId + ":" + bucketStart;
	}

	/**
	 * List: one route's latest mismatches of every instance, newest first, capped.
	 * @param routeId the route
	 */
	String diffs(String routeId) {
		return this.prefix + ":diffs:" + routeId;
	}

	List<String> state() {
		return List.of(overrides(), routeRevisions(), revision());
	}

}
