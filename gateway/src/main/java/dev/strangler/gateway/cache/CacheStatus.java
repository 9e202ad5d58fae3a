package dev.strangler.gateway.cache;

/**
 * Values of the {@code Cache-Status} response header (RFC 9211) this gateway's caches
 * add, under the cache name {@code strangler}.
 *
 * <pre>{@code
 * strangler; hit                     served from the cache
 * strangler; fwd=miss; collapsed     answered by another request's load of the same key
 * strangler; fwd=miss; stored        went to the backend, response stored
 * strangler; fwd=miss                went to the backend, response not stored
 * strangler; fwd=request[; stored]   the request asked for a fresh response (no-cache)
 * strangler; fwd=method              not GET or HEAD
 * }</pre>
 */
final class CacheStatus {

	/** The header name. */
	static final String HEADER = "Cache-Status";

	static final String HIT = "strangler; hit";

	static final String COLLAPSED = "strangler; fwd=miss; collapsed";

	private CacheStatus() {
	}

	/**
	 * The value for a response that came from the backend.
	 * @param reason the {@code fwd} parameter
	 * @param stored whether the response was stored
	 * @return the header value
	 */
	static String forwarded(String reason, boolean stored) {
		return "strangler; fwd=" + reason + (stored ? "; stored" : "");
	}

}
