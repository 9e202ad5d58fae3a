package dev.strangler.gateway.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import dev.strangler.gateway.cache.StoreDecision.Reason;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;

/**
 * The HTTP caching rules of a shared cache (RFC 9111) that decide what may be served from
 * and stored in a route's cache.
 *
 * <pre>{@code
 * CachePolicy policy = new CachePolicy(CachePolicy.DEFAULT_STATUSES, 1024 * 1024);
 * RequestMode mode = policy.classify("GET", requestHeaders);
 * StoreDecision decision = policy.decide(requestHeaders, 200, responseHeaders, Duration.ofSeconds(30), now);
 * }</pre>
 *
 * Free of WebFlux types, so every rule is tested without a server.
 */
final class CachePolicy {

	/**
	 * The statuses stored by default: RFC 9110 §15.1's heuristically cacheable ones we
	 * serve.
	 */
	static final Set<Integer> DEFAULT_STATUSES = Set.of(200, 203, 204, 301, 404, 410);

	private final Set<Integer> cacheableStatuses;

	private final long maxBodyBytes;

	/**
	 * Creates the policy.
	 * @param cacheableStatuses statuses that may be stored, each 100..599
	 * @param maxBodyBytes bodies larger than this are not stored; at least 0
	 */
	CachePolicy(Set<Integer> cacheableStatuses, long maxBodyBytes) {
		Assert.notNull(cacheableStatuses, "cacheableStatuses must not be null");
		for (Integer status : cacheableStatuses) {
			Assert.isTrue(status != null && status >= 100 && status <= 599,
					() -> "cacheableStatuses must be HTTP statuses 100..599 but contained " + status);
		}
		Assert.isTrue(maxBodyBytes >= 0, () -> "maxBodyBytes must be at least 0 but was " + maxBodyBytes);
		this.cacheableStatuses = Set.copyOf(cacheableStatuses);
		this.maxBodyBytes = maxBodyBytes;
	}

	/**
	 * Decides, from the request alone, whether the cache is consulted.
	 * @param method the request method
	 * @param headers the request headers
	 * @return the mode; never {@code null}
	 */
	RequestMode classify(String method, HttpHeaders headers) {
		boolean get = "GET".equals(method);
		if (!get && !"HEAD".equals(method)) {
			return RequestMode.BYPASS_METHOD;
		}
		CacheControl directives = CacheControl.parse(headers.getOrEmpty(HttpHeaders.CACHE_CONTROL));
		// a GET with a body would be keyed without it (RFC 9110 §9.3.1: no defined
		// semantics)
		if (directives.noStore() || hasBody(headers)) {
			return RequestMode.BYPASS_REQUEST;
		}
		if (wantsEndToEndReload(directives, headers)) {
			// a HEAD response cannot refresh the GET entry, so it simply goes through
			return get ? RequestMode.REFRESH : RequestMode.BYPASS_REQUEST;
		}
		return get ? RequestMode.LOAD : RequestMode.PEEK;
	}

	/**
	 * Decides whether a backend response may be stored, or at least shared with the
	 * requests that waited for it. The body size is checked separately with
	 * {@link #bodyFits}, as it may only be known once the body has been read.
	 * @param requestHeaders the headers of the request that fetched the response
	 * @param status the response status
	 * @param responseHeaders the response headers
	 * @param routeTtl the route's {@code ttl}
	 * @param now when the response arrived
	 * @return the decision; never {@code null}
	 */
	StoreDecision decide(HttpHeaders requestHeaders, int status, HttpHeaders responseHeaders, Duration routeTtl,
			Instant now) {
		CacheControl directives = CacheControl.parse(responseHeaders.getOrEmpty(HttpHeaders.CACHE_CONTROL));
		if (directives.noStore()) {
			return new StoreDecision.Refuse(Reason.NO_STORE);
		}
		if (directives.isPrivate()) {
			return new StoreDecision.Refuse(Reason.PRIVATE);
		}
		if (directives.noCache()) {
			return new StoreDecision.Refuse(Reason.NO_CACHE);
		}
		if (!responseHeaders.getOrEmpty(HttpHeaders.SET_COOKIE).isEmpty()) {
			return new StoreDecision.Refuse(Reason.SET_COOKIE);
		}
		// RFC 9111 §3.5
		if (requestHeaders.getFirst(HttpHeaders.AUTHORIZATION) != null && !directives.isPublic()
				&& directives.sMaxAge().isEmpty()) {
			return new StoreDecision.Refuse(Reason.AUTHORIZATION);
		}
		if (VaryHeader.names(responseHeaders).contains("*")) {
			return new StoreDecision.Refuse(Reason.VARY_ANY);
		}
		if (declaredLength(responseHeaders) > this.maxBodyBytes) {
			return new StoreDecision.Refuse(Reason.TOO_LARGE);
		}
		if (!this.cacheableStatuses.contains(status)) {
			return new StoreDecision.ShareOnly(Reason.STATUS);
		}
		Freshness freshness = Freshness.of(directives, responseHeaders, now);
		Duration ttl = freshness.timeToLive(routeTtl);
		if (ttl.isZero()) {
			return new StoreDecision.Refuse(Reason.STALE);
		}
		return new StoreDecision.Store(ttl, freshness.initialAge());
	}

	/**
	 * Whether a body of this size may be stored.
	 * @param bytes the body length
	 * @return {@code true} when within the limit
	 */
	boolean bodyFits(long bytes) {
		return bytes <= this.maxBodyBytes;
	}

	long maxBodyBytes() {
		return this.maxBodyBytes;
	}

	private static boolean hasBody(HttpHeaders headers) {
		return declaredLength(headers) != 0 || headers.getFirst(HttpHeaders.TRANSFER_ENCODING) != null;
	}

	/**
	 * The {@code Content-Length}: 0 when absent, and {@code Long.MAX_VALUE} when
	 * unreadable.
	 */
	private static long declaredLength(HttpHeaders headers) {
		String length = headers.getFirst(HttpHeaders.CONTENT_LENGTH);
		if (length == null) {
			return 0;
		}
		try {
			return Long.parseLong(length.trim());
		}
		catch (NumberFormatException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static boolean wantsEndToEndReload(CacheControl directives, HttpHeaders headers) {
		if (directives.noCache() || directives.maxAge().filter(Duration::isZero).isPresent()) {
			return true;
		}
		// RFC 9111 §5.4: Pragma only counts when the request has no Cache-Control at all
		return headers.getOrEmpty(HttpHeaders.CACHE_CONTROL).isEmpty()
				&& headers.getOrEmpty(HttpHeaders.PRAGMA).stream().anyMatch((value) -> value.contains("no-cache"));
	}

	@Override
	public String toString() {
		return "CachePolicy[statuses=" + new TreeSet<>(this.cacheableStatuses) + ", maxBodyBytes=" + this.maxBodyBytes
				+ "]";
	}

}
