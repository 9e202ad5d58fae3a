package dev.strangler.gateway.cache;

import java.time.Duration;

/**
 * What {@link CachePolicy#decide} allows for one backend response.
 */
sealed interface StoreDecision {

	/**
	 * The response may be stored for {@code ttl} and handed to the requests that waited
	 * for it.
	 *
	 * @param ttl time to keep the entry, already shortened by the response's own lifetime
	 * and age; always positive
	 * @param initialAge the age the response had when it arrived ({@code Age} header)
	 */
	record Store(Duration ttl, Duration initialAge) implements StoreDecision {
	}

	/**
	 * The response must not be stored because of its status alone (a 500, a 302…), but it
	 * may be given to the requests collapsed onto the one that fetched it: they asked at
	 * the same moment and would have had the same answer. This is how a failing backend
	 * fails every waiting request the same way, without 99 more calls hitting it. Only
	 * waiters with the same {@code Authorization} and {@code Cookie} take it: a 401 or a
	 * 403 is about who asked.
	 *
	 * @param reason why it is not stored
	 */
	record ShareOnly(Reason reason) implements StoreDecision {
	}

	/**
	 * The response belongs to the request that fetched it; other requests must go to the
	 * backend themselves.
	 *
	 * @param reason why
	 */
	record Refuse(Reason reason) implements StoreDecision {
	}

	/** Why a response is not stored; used in logs and tests. */
	enum Reason {

		/** {@code Cache-Control: no-store}. */
		NO_STORE,
		/** {@code Cache-Control: private}: a shared cache must not store it. */
		PRIVATE,
		/**
		 * {@code Cache-Control: no-cache}: may not be reused without revalidation, which
		 * we do not do.
		 */
		NO_CACHE,
		/** A {@code Set-Cookie} would leak one client's session to others. */
		SET_COOKIE,
		/**
		 * The request carried {@code Authorization} and the response is neither
		 * {@code public} nor {@code s-maxage}.
		 */
		AUTHORIZATION,
		/** {@code Vary: *} can never match another request. */
		VARY_ANY,
		/** The status is not in the cacheable set. */
		STATUS,
		/**
		 * Its freshness lifetime is already used up ({@code max-age=0}, past
		 * {@code Expires}…).
		 */
		STALE,
		/** The body is larger than the limit. */
		TOO_LARGE,
		/** A streamed response (server-sent events, NDJSON…) has no end to wait for. */
		STREAMING,
		/**
		 * Another part of the gateway marked the exchange (see {@link CacheAttributes}).
		 */
		MARKED,
		/** The request that fetched it went away, or never got a response to capture. */
		ABANDONED,
		/** The backend call failed (connection refused, timeout, reset…). */
		FAILED

	}

}
