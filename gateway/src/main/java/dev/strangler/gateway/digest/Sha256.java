package dev.strangler.gateway.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, as the gateway uses it for rollout buckets, route-file fingerprints, recorded
 * bodies and token comparison. Plain Java with no dependency, so that every feature
 * package (the Spring-free {@code rollout} included) may use it without a cycle.
 *
 * <pre class="code">
 * Sha256.hex("hello".getBytes(UTF_8)); // 2cf24dba…
 * MessageDigest running = Sha256.newDigest(); // update(…) as bytes arrive, then Sha256.hex(running)
 * </pre>
 */
public final class Sha256 {

	private static final HexFormat HEX = HexFormat.of();

	private Sha256() {
	}

	/**
	 * A new digest, for hashing bytes as they arrive. Not thread-safe; callers on the
	 * request path keep one per thread, since the provider look-up is not free.
	 * @return a fresh SHA-256 digest
	 */
	public static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256 (MessageDigest Javadoc).
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * The digest of a text's UTF-8 bytes.
	 * @param text the text
	 * @return the 32 digest bytes
	 */
	public static byte[] of(String text) {
		return newDigest().digest(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The digest of some bytes, as lower-case hex.
	 * @param bytes the bytes
	 * @return 64 hex digits
	 */
	public static String hex(byte[] bytes) {
		return HEX.formatHex(newDigest().digest(bytes));
	}

	/**
	 * Completes a running digest, as lower-case hex; the digest is reset.
	 * @param running a digest fed with {@code update}
	 * @return 64 hex digits
	 */
	public static String hex(MessageDigest running) {
		return HEX.formatHex(running.digest());
	}

}
