package dev.strangler.gateway.state.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Redis store behaves.
 *
 * @param keyPrefix prefix of every key and channel
 * @param auditMaxEntries the audit stream keeps about this many newest entries
 * @param resyncInterval how often the whole state is read again, whatever pub/sub said
 * @param timeout longest wait for one Redis call before it counts as failed
 * @param startupWait how long start-up waits for Redis when there is no local snapshot
 * @param snapshotFile where the last state seen is kept, for a start while Redis is down
 */
public record RedisStateOptions(String keyPrefix, int auditMaxEntries, Duration resyncInterval, Duration timeout,
		Duration startupWait, Path snapshotFile) {

	public RedisStateOptions {
		Objects.requireNonNull(keyPrefix, "keyPrefix");
		Objects.requireNonNull(resyncInterval, "resyncInterval");
		Objects.requireNonNull(timeout, "timeout");
		Objects.requireNonNull(startupWait, "startupWait");
		Objects.requireNonNull(snapshotFile, "snapshotFile");
		if (auditMaxEntries < 1) {
			throw new IllegalArgumentException("auditMaxEntries must be at least 1 (was " + auditMaxEntries + ")");
		}
	}

}
