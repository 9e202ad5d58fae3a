package dev.strangler.gateway.progression.redis;

import java.util.Objects;

/**
 * The Redis keys of progressive delivery, under the shared state's prefix
 * ({@code strangler.state.redis.key-prefix}) like every other key of the cluster.
 *
 * @param prefix the common prefix, for example {@code strangler}
 */
record ProgressionKeys(String prefix) {

	ProgressionKeys {
		Objects.requireNonNull(prefix, "prefix");
	}

	/** String: the id of the instance that takes the decisions, expiring. */
	String lease() {
		return this.prefix + ":progression:lease";
	}

	/** Hash: route id to its progression state's JSON. */
	String states() {
		return this.prefix + ":progressions";
	}

}
