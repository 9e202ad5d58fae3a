package dev.strangler.gateway.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;

import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * The response cache of one route: a Caffeine {@link AsyncCache} bounded by entries and
 * bytes, with an expiry per entry, and coalescing of concurrent misses.
 *
 * <pre>{@code
 * RouteResponseCache cache = new RouteResponseCache("catalog", settings, policy, Ticker.systemTicker(),
 * 		Clock.systemUTC(), ForkJoinPool.commonPool());
 * RouteResponseCache.Lookup lookup = cache.lookup(primaryKey, requestHeaders, (key) -> promise);
 * if (lookup.loading()) { forward the request and complete the promise with cache.capture(…) }
 * else { lookup.result() is the entry, or the load in flight that this request joins }
 * }</pre>
 *
 * <h2>Bounds</h2> Caffeine bounds a cache by entry count or by weight, not both. This
 * cache is bounded by weight only, and every entry weighs at least
 * {@code maxBytes / maxEntries}: then the sum of weights ≤ maxBytes gives both sum of
 * bytes ≤ maxBytes and entries ≤ maxEntries, exactly, with one cache and one eviction
 * policy. The price: when small and large entries mix, small ones are charged more than
 * they use, so the cache may evict before both limits are reached; it never exceeds
 * either. One sixteenth of {@code maxBytes} is set aside for the {@code Vary} lists
 * learnt from responses, so those are inside the budget too.
 *
 * <h2>Coalescing</h2> {@link #lookup} uses Caffeine's own async loading: the first
 * request for a missing key installs a future, every request for that key until it
 * completes gets the same future. A future that fails is removed by Caffeine, so a failed
 * load is never cached and every waiter sees the failure. A load that ends in a response
 * nobody may reuse stays in the cache for no time at all (its expiry is zero). A response
 * that is not stored is handed only to waiters with the same {@code Authorization} and
 * {@code Cookie} as the request that fetched it; the others fetch their own.
 *
 * <h2>Vary</h2> The key holds the route's {@code vary} headers plus those the last
 * response for the same {@link PrimaryKey} listed in its {@code Vary}, learnt per primary
 * key as HTTP caches do. A response whose {@code Vary} differs from what the key was
 * built with is stored under the key it really has; the waiters on the old key check
 * {@link CachedResponse#matches} and go to the backend themselves when it does not match.
 */
final class RouteResponseCache {

	/** Request headers that may change who the answer is for. */
	private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie");

	private final String routeId;

	private final CacheSettings settings;

	private final CachePolicy policy;

	private final Clock clock;

	private final AsyncCache<CacheKey, Loaded> entries;

	/** Response {@code Vary} names beyond the route's own, per primary key. */
	private final Cache<PrimaryKey, Set<String>> learntVary;

	/**
	 * Caffeine's statistics, held so that a hit served by {@link #fresh} (a lookup that
	 * records nothing) is counted as a hit all the same.
	 */
	private final ConcurrentStatsCounter stats = new ConcurrentStatsCounter();

	/**
	 * Creates the cache of one route.
	 * @param routeId the route id, also the {@code cache} tag of its metrics
	 * @param settings the route's limits
	 * @param policy the HTTP caching rules
	 * @param ticker Caffeine's time source for expiry; tests pass a fake one
	 * @param clock the time source for {@code Age}; tests pass the same fake time
	 * @param executor runs Caffeine's maintenance; {@code Runnable::run} in tests
	 */
	RouteResponseCache(String routeId, CacheSettings settings, CachePolicy policy, Ticker ticker, Clock clock,
			Executor executor) {
		Assert.hasText(routeId, "routeId must not be empty");
		this.routeId = routeId;
		this.settings = settings;
		this.policy = policy;
		this.clock = clock;
		long varyBudget = Math.max(1, settings.maxBytes() / 16);
		long entryBudget = Math.max(1, settings.maxBytes() - varyBudget);
		// a Caffeine weight is an int: with a huge maxBytes and few entries the charge is
		// capped, and only the byte bound is exact
		int minimumCharge = (int) Math.min(Integer.MAX_VALUE, Math.max(1, ceilDiv(entryBudget, settings.maxEntries())));
		this.entries = Caffeine.newBuilder()
			.ticker(ticker)
			.executor(executor)
			.maximumWeight(entryBudget)
			.<CacheKey, Loaded>weigher((key, loaded) -> Math.max(minimumCharge, weight(loaded)))
			.expireAfter(new EntryExpiry())
			.recordStats(() -> this.stats)
			.buildAsync();
		this.learntVary = Caffeine.newBuilder()
			.ticker(ticker)
			.executor(executor)
			.maximumWeight(varyBudget)
			.<PrimaryKey, Set<String>>weigher(RouteResponseCache::weight)
			.expireAfterAccess(settings.ttl())
			.build();
	}

	/**
	 * Finds the entry for a request, or loads it once for every concurrent request.
	 * @param primary the request's primary key
	 * @param requestHeaders its headers (for the vary values)
	 * @param loader called for the first request only, inside Caffeine's compute: it must
	 * return at once a future that the caller completes later; never {@code null}
	 * @return the key, the result future and whether this call started the load
	 */
	Lookup lookup(PrimaryKey primary, HttpHeaders requestHeaders,
			Function<CacheKey, CompletableFuture<Loaded>> loader) {
		CacheKey key = keyFor(primary, requestHeaders);
		AtomicBoolean started = new AtomicBoolean();
		CompletableFuture<Loaded> result = this.entries.get(key, (missing, executor) -> {
			started.set(true);
			return loader.apply(missing)
				.handle((loaded, failure) -> (failure != null) ? Loaded.failed(failure) : settle(missing, loaded));
		});
		return new Lookup(key, result, started.get());
	}

	/**
	 * The entry (or the load in flight) for a request, without starting a load: for HEAD,
	 * which cannot fill a GET entry.
	 * @param primary the request's primary key
	 * @param requestHeaders its headers
	 * @return the entry's future, or {@code null} when there is none
	 */
	CompletableFuture<Loaded> peek(PrimaryKey primary, HttpHeaders requestHeaders) {
		return this.entries.getIfPresent(keyFor(primary, requestHeaders));
	}

	/**
	 * The stored, fresh response for a request, if there is one: the cache-hit fast path.
	 * A single lookup that starts no load, joins none and completes no future; a load in
	 * flight, an entry that was not stored or a response that varies on a header this
	 * request has another value of all count as none (and as nothing in the statistics:
	 * the request goes on to {@link #lookup} or {@link #peek}, which count it).
	 * @param primary the request's primary key
	 * @param requestHeaders its headers
	 * @return the response, counted as a hit; {@code null} when there is none
	 */
	@Nullable
	CachedResponse fresh(PrimaryKey primary, HttpHeaders requestHeaders) {
		CacheKey key = keyFor(primary, requestHeaders);
		// the map view's get honours expiry and feeds the eviction policy, but records no
		// statistics: a miss here is counted once, by the lookup that follows
		CompletableFuture<Loaded> entry = this.entries.asMap().get(key);
		if (entry == null || !entry.isDone() || entry.isCompletedExceptionally()) {
			return null;
		}
		Loaded loaded = entry.getNow(null);
		if (loaded == null || !loaded.stored()) {
			return null;
		}
		CachedResponse response = loaded.response();
		// the key's values are the response's unless it varies on more headers than the
		// key was built with (see EntryExpiry): only then are they compared again
		if (!key.selecting().equals(response.selecting()) && !response.matches(requestHeaders)) {
			return null;
		}
		this.stats.recordHits(1);
		return response;
	}

	/**
	 * Applies the policy to a response's status and headers: callers buffer the body only
	 * when the answer is not a refusal.
	 * @param requestHeaders the headers of the request that fetched it
	 * @param status the response status
	 * @param responseHeaders the response headers
	 * @return the decision
	 */
	StoreDecision decide(HttpHeaders requestHeaders, int status, HttpHeaders responseHeaders) {
		return this.policy.decide(requestHeaders, status, responseHeaders, this.settings.ttl(), this.clock.instant());
	}

	/**
	 * Decides, from the request alone, whether the cache is consulted.
	 * @param method the request method
	 * @param requestHeaders the request headers
	 * @return the mode
	 */
	RequestMode classify(String method, HttpHeaders requestHeaders) {
		return this.policy.classify(method, requestHeaders);
	}

	/**
	 * The largest body that may be kept: what callers buffer at most.
	 * @return bytes
	 */
	long bodyLimit() {
		return Math.min(this.policy.maxBodyBytes(), this.settings.maxBytes() - 1);
	}

	/**
	 * Whether a body of this size may be kept; larger ones are streamed through
	 * untouched.
	 * @param bytes the body size so far
	 * @return {@code true} when it fits
	 */
	boolean bodyFits(long bytes) {
		return bytes <= bodyLimit();
	}

	/**
	 * Builds the result of a load from a complete response.
	 * @param decision the result of {@link #decide}
	 * @param requestHeaders the headers of the request that fetched it
	 * @param status the response status
	 * @param responseHeaders the response headers
	 * @param body the whole body
	 * @return the result for the waiters and the cache
	 */
	Loaded capture(StoreDecision decision, HttpHeaders requestHeaders, int status, HttpHeaders responseHeaders,
			byte[] body) {
		if (decision instanceof StoreDecision.Refuse) {
			return new Loaded(decision, null);
		}
		if (!bodyFits(body.length)) {
			return Loaded.refused(StoreDecision.Reason.TOO_LARGE);
		}
		Set<String> varyNames = new LinkedHashSet<>(this.settings.vary());
		varyNames.addAll(VaryHeader.names(responseHeaders));
		if (isEncoded(responseHeaders)) {
			// a compressed body must not reach a client that did not ask for it, even
			// when
			// the backend forgets Vary: Accept-Encoding
			varyNames.add("accept-encoding");
		}
		if (decision instanceof StoreDecision.ShareOnly) {
			// never stored, only handed to the requests collapsed onto this one: a 401 or
			// a 500 may depend on who asked, so only requests with the same credentials
			// may take it; the others go to the backend themselves
			varyNames.addAll(CREDENTIALS);
		}
		Duration initialAge = (decision instanceof StoreDecision.Store store) ? store.initialAge()
				: Freshness.ageHeader(responseHeaders);
		return new Loaded(decision, CachedResponse.of(status, responseHeaders, body, this.clock.instant(), initialAge,
				CacheKey.selectingValues(varyNames, requestHeaders)));
	}

	/**
	 * Stores the response of a request that bypassed the lookup ({@code no-cache}), or
	 * removes the old entry when the new response may not be stored.
	 * @param primary the request's primary key
	 * @param requestHeaders its headers
	 * @param loaded the result built by {@link #capture}
	 */
	void refresh(PrimaryKey primary, HttpHeaders requestHeaders, Loaded loaded) {
		CacheKey key = keyFor(primary, requestHeaders);
		if (loaded.stored()) {
			settle(key, loaded);
			this.entries.put(key, CompletableFuture.completedFuture(loaded));
		}
		else {
			this.entries.synchronous().invalidate(key);
		}
	}

	/**
	 * The age to report for a response served now.
	 * @param response a response from this cache
	 * @return whole seconds
	 */
	long ageSeconds(CachedResponse response) {
		return response.ageSeconds(this.clock.millis());
	}

	/**
	 * Empties the cache (admin eviction, route change); loads in flight still complete.
	 */
	void invalidateAll() {
		this.entries.synchronous().invalidateAll();
		this.learntVary.invalidateAll();
	}

	/**
	 * The weighed size of the entries, for tests and the admin view.
	 * @return bytes charged, at most {@code maxBytes}
	 */
	long weightedSize() {
		return this.entries.synchronous().policy().eviction().orElseThrow().weightedSize().orElse(0);
	}

	/**
	 * The number of entries, approximately (expired ones may still count).
	 * @return the entry count
	 */
	long estimatedSize() {
		return this.entries.synchronous().estimatedSize();
	}

	/** Runs Caffeine's pending maintenance (eviction, expiry) now. */
	void cleanUp() {
		this.entries.synchronous().cleanUp();
		this.learntVary.cleanUp();
	}

	/**
	 * The Caffeine cache, for Micrometer's binder.
	 * @return the underlying cache
	 */
	AsyncCache<CacheKey, Loaded> caffeine() {
		return this.entries;
	}

	String routeId() {
		return this.routeId;
	}

	CacheSettings settings() {
		return this.settings;
	}

	/**
	 * Learns the response's {@code Vary} for its primary key and, when the response
	 * varies on other headers than the key was built with, stores it under the key it
	 * really has; the entry under the old key then expires at once (see
	 * {@link EntryExpiry}).
	 */
	private Loaded settle(CacheKey requested, Loaded loaded) {
		if (!loaded.stored()) {
			return loaded;
		}
		CachedResponse response = loaded.response();
		// The entry goes in under its real key before the learnt Vary is published: a
		// request that builds its key from the learnt names must find it, or it would
		// start a second load for a response that is already here.
		if (!response.selecting().keySet().equals(requested.selecting().keySet())) {
			this.entries.put(new CacheKey(requested.primary(), response.selecting()),
					CompletableFuture.completedFuture(loaded));
		}
		Set<String> extra = new LinkedHashSet<>(response.selecting().keySet());
		extra.removeAll(this.settings.vary());
		if (extra.isEmpty()) {
			this.learntVary.invalidate(requested.primary());
		}
		else {
			this.learntVary.put(requested.primary(), Set.copyOf(extra));
		}
		return loaded;
	}

	private static boolean isEncoded(HttpHeaders responseHeaders) {
		String encoding = responseHeaders.getFirst(HttpHeaders.CONTENT_ENCODING);
		return encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim());
	}

	private CacheKey keyFor(PrimaryKey primary, HttpHeaders requestHeaders) {
		Set<String> learnt = this.learntVary.getIfPresent(primary);
		if (learnt == null) {
			return CacheKey.of(primary, this.settings.vary(), requestHeaders);
		}
		Set<String> names = new LinkedHashSet<>(this.settings.vary());
		names.addAll(learnt);
		return CacheKey.of(primary, names, requestHeaders);
	}

	private static int weight(Loaded loaded) {
		return (loaded.response() != null) ? loaded.response().weight() : CachedResponse.ENTRY_OVERHEAD_BYTES;
	}

	private static int weight(PrimaryKey primary, Set<String> names) {
		int weight = 64 + primary.route().length() + primary.path().length() + primary.query().length();
		for (String name : names) {
			weight += name.length() + 16;
		}
		return weight;
	}

	private static long ceilDiv(long dividend, long divisor) {
		return -Math.floorDiv(-dividend, divisor);
	}

	@Override
	public String toString() {
		return "RouteResponseCache[route=" + this.routeId + ", " + this.settings + ", " + this.policy + "]";
	}

	/**
	 * The outcome of {@link #lookup}.
	 *
	 * @param key the key the request was looked up by
	 * @param result the entry, or the load in flight
	 * @param loading {@code true} for the one request that must fetch the response and
	 * complete the loader's future
	 */
	record Lookup(CacheKey key, CompletableFuture<Loaded> result, boolean loading) {
	}

	/**
	 * Keeps a stored entry for its own ttl; anything else (a response for the waiters
	 * only, a refusal, a failure) expires at once. A stored response stays under the key
	 * it was loaded by even when its {@code Vary} named more headers: requests that built
	 * their key before the {@code Vary} was learnt still find it, and
	 * {@link CachedResponse#matches} keeps it from answering a request it does not fit.
	 */
	private static final class EntryExpiry implements Expiry<CacheKey, Loaded> {

		@Override
		public long expireAfterCreate(CacheKey key, Loaded loaded, long currentTime) {
			if (loaded.decision() instanceof StoreDecision.Store store) {
				return saturatedNanos(store.ttl());
			}
			return 0;
		}

		@Override
		public long expireAfterUpdate(CacheKey key, Loaded loaded, long currentTime, long currentDuration) {
			return expireAfterCreate(key, loaded, currentTime);
		}

		@Override
		public long expireAfterRead(CacheKey key, Loaded loaded, long currentTime, long currentDuration) {
			return currentDuration;
		}

		private static long saturatedNanos(Duration duration) {
			try {
				return duration.toNanos();
			}
			catch (ArithmeticException ex) {
				return Long.MAX_VALUE;
			}
		}

	}

}
