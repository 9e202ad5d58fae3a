package dev.strangler.gateway.cache;

/**
 * What the cache does with one request of a cached route, decided from the request alone
 * by {@link CachePolicy#classify}.
 */
enum RequestMode {

	/**
	 * A GET: serve a fresh entry, or load it once for all concurrent requests and store
	 * it.
	 */
	LOAD("miss"),

	/**
	 * A HEAD: served from the GET entry (or from a GET load in flight); otherwise
	 * forwarded as it is and not stored, since a HEAD response has no body to serve GETs
	 * from.
	 */
	PEEK("miss"),

	/**
	 * A GET with {@code no-cache} (or {@code max-age=0}): forward, then refresh the
	 * entry.
	 */
	REFRESH("request"),

	/**
	 * Request directives forbid using the cache ({@code no-store}, or a body on a GET).
	 */
	BYPASS_REQUEST("request"),

	/** Not GET or HEAD: never stored, never served from the cache. */
	BYPASS_METHOD("method");

	private final String forwardReason;

	RequestMode(String forwardReason) {
		this.forwardReason = forwardReason;
	}

	/**
	 * The RFC 9211 {@code fwd} parameter when this request goes to the backend.
	 * @return {@code miss}, {@code request} or {@code method}
	 */
	String forwardReason() {
		return this.forwardReason;
	}

}
