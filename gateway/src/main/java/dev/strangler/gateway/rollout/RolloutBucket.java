package dev.strangler.gateway.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

import dev.strangler.gateway.digest.Sha256;
import dev.strangler.gateway.route.Percent;

/**
 * The stable bucket, one of {@value #COUNT}, that a sticky key falls into for one route.
 *
 * <pre>{@code
 * RolloutBucket bucket = RolloutBucket.of("catalog", "user-42");
 * boolean toTarget = bucket.isBelow(Percent.parse("25")); // same answer for every request of user-42
 * }</pre>
 *
 * <p>
 * The bucket is the first 64 bits of SHA-256 over the UTF-8 bytes of the route id, a NUL
 * character and the key, modulo {@value #COUNT}. The route id is part of the input so
 * that one user is not in the first percent of every route at once. SHA-256 is specified
 * (FIPS 180-4) and ships with every JDK, so the mapping can never change with a library
 * upgrade: changing it would move keys between backends on deploy, which breaks
 * stickiness. {@code RolloutBucketTests} pins known values to catch that.
 */
public record RolloutBucket(int value) {

	/** Number of buckets: one bucket is 0.01 percent of the keys. */
	public static final int COUNT = 10_000;

	/**
	 * One digest per thread, reused: {@code MessageDigest.getInstance} looks the
	 * algorithm up in the security providers on every call. {@code digest()} resets it.
	 */
	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Sha256::newDigest);

	public RolloutBucket {
		if (value < 0 || value >= COUNT) {
			throw new IllegalArgumentException("bucket must be between 0 and " + (COUNT - 1) + " but was " + value);
		}
	}

	/**
	 * Returns the bucket of {@code key} for the given route.
	 * @param routeId the route id
	 * @param key the sticky key (a user id, a cookie value, a client address...)
	 * @return the bucket, always the same for the same arguments
	 */
	public static RolloutBucket of(String routeId, String key) {
		Objects.requireNonNull(routeId, "routeId");
		Objects.requireNonNull(key, "key");
		// The same bytes as UTF-8 of routeId + '\0' + key, without building that string.
		MessageDigest sha256 = SHA256.get();
		sha256.update(routeId.getBytes(StandardCharsets.UTF_8));
		sha256.update((byte) 0);
		byte[] digest = sha256.digest(key.getBytes(StandardCharsets.UTF_8));
		long high = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
		// 2^64 is not a multiple of 10,000; the resulting bias (about 1e-15) is
		// irrelevant.
		return new RolloutBucket((int) Long.remainderUnsigned(high, COUNT));
	}

	/**
	 * Tells whether this bucket goes to the target at {@code percent}: buckets below
	 * {@code percent × 100} do (0.5 percent is buckets 0 to 49). Raising the percent only
	 * adds buckets, so a key never moves back to legacy.
	 * @param percent the share of keys for the target
	 * @return {@code true} when this bucket is below the percent's basis points
	 */
	public boolean isBelow(Percent percent) {
		return this.value < percent.basisPoints();
	}

}
