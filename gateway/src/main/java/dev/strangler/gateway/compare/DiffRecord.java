package dev.strangler.gateway.compare;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One mismatch as kept in a route's {@link DiffBuffer} and shown by the admin API. Holds
 * no headers other than the compared ones' (already redacted) values, so credentials
 * never reach it.
 *
 * @param time when the mirrored request was made
 * @param method the request method
 * @param pathWithQuery the request path and query, cut at {@link #MAX_PATH_LENGTH}
 * @param legacyStatus legacy's status
 * @param targetStatus the target's status
 * @param differences what differed
 * @param traceId the request's trace id, {@code null} if not traced
 * @param legacyBody the beginning of legacy's body ({@link BodyExcerpt#MAX_BYTES} at
 * most), {@code null} when not kept
 * @param targetBody the beginning of the target's body, the same way
 */
public record DiffRecord(Instant time, String method, String pathWithQuery, int legacyStatus, int targetStatus,
		List<Difference> differences, String traceId, BodyExcerpt legacyBody, BodyExcerpt targetBody) {

	/** Longest path with query kept. */
	public static final int MAX_PATH_LENGTH = 2048;

	public DiffRecord {
		Objects.requireNonNull(time, "time");
		Objects.requireNonNull(method, "method");
		pathWithQuery = Objects.requireNonNullElse(pathWithQuery, "");
		if (pathWithQuery.length() > MAX_PATH_LENGTH) {
			pathWithQuery = pathWithQuery.substring(0, MAX_PATH_LENGTH - 1) + "…";
		}
		differences = List.copyOf(differences);
	}

	/**
	 * A mismatch kept without the bodies.
	 * @param time when the mirrored request was made
	 * @param method the request method
	 * @param pathWithQuery the request path and query
	 * @param legacyStatus legacy's status
	 * @param targetStatus the target's status
	 * @param differences what differed
	 * @param traceId the request's trace id, {@code null} if not traced
	 */
	public DiffRecord(Instant time, String method, String pathWithQuery, int legacyStatus, int targetStatus,
			List<Difference> differences, String traceId) {
		this(time, method, pathWithQuery, legacyStatus, targetStatus, differences, traceId, null, null);
	}

}
