package dev.strangler.gateway.route;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.pattern.PathPattern;

/**
 * One validated route of a route file: which requests it claims, its two backends, its
 * stage and how it rolls out, mirrors, compares, caches and protects. Immutable.
 *
 * @param id unique id, {@code [a-z0-9-]+}
 * @param description free text, may be empty
 * @param source the route file it came from, relative to the routes location
 * @param match which requests it claims
 * @param legacy legacy base URL (the file's value, else {@code strangler.legacy.url})
 * @param target target base URL; {@code null} only in stage {@code legacy}
 * @param stage the configured stage
 * @param rollout canary share and stickiness
 * @param shadow mirroring
 * @param compare how mirrored responses are compared
 * @param cache response caching; {@code null} when the route does not cache
 * @param resilience protection of calls to the target (and, opted in, to legacy)
 * @param progression progressive delivery plan; {@code null} when the route has none
 */
public record Route(String id, String description, String source, Match match, URI legacy, @Nullable URI target,
		Stage stage, Rollout rollout, Shadow shadow, Compare compare, @Nullable Cache cache, Resilience resilience,
		@Nullable Progression progression) {

	/**
	 * A route without a progression.
	 * @param id unique id
	 * @param description free text
	 * @param source the route file
	 * @param match which requests it claims
	 * @param legacy legacy base URL
	 * @param target target base URL
	 * @param stage the configured stage
	 * @param rollout canary share and stickiness
	 * @param shadow mirroring
	 * @param compare comparison
	 * @param cache response caching
	 * @param resilience protection of calls
	 */
	public Route(String id, String description, String source, Match match, URI legacy, @Nullable URI target,
			Stage stage, Rollout rollout, Shadow shadow, Compare compare, @Nullable Cache cache,
			Resilience resilience) {
		this(id, description, source, match, legacy, target, stage, rollout, shadow, compare, cache, resilience, null);
	}

	/**
	 * What metrics and logs name as the route of requests no route claims; so no route
	 * may have it as its id.
	 */
	public static final String UNROUTED_ID = "unrouted";

	/**
	 * The target base URL, if the route has one.
	 * @return the target
	 */
	public Optional<URI> targetUrl() {
		return Optional.ofNullable(this.target);
	}

	/**
	 * The cache settings, if the route caches.
	 * @return the cache settings
	 */
	public Optional<Cache> cacheSettings() {
		return Optional.ofNullable(this.cache);
	}

	/**
	 * The progressive delivery plan, if the route has one.
	 * @return the progression
	 */
	public Optional<Progression> progressionPlan() {
		return Optional.ofNullable(this.progression);
	}

	/**
	 * Which requests a route claims.
	 *
	 * @param paths path patterns (Spring {@link PathPattern} syntax), at least one
	 * @param methods the methods claimed; empty means every method
	 */
	public record Match(List<PathPattern> paths, Set<HttpMethod> methods) {

		public Match {
			paths = List.copyOf(paths);
			methods = Set.copyOf(methods);
		}

		/**
		 * Whether this route claims requests with the given method.
		 * @param method the request method
		 * @return {@code true} if the method is listed or no method is listed
		 */
		public boolean allows(HttpMethod method) {
			return this.methods.isEmpty() || this.methods.contains(method);
		}

		/**
		 * The most specific of this route's patterns that matches the path.
		 * @param path the request path
		 * @return the matching pattern, if any
		 */
		public Optional<PathPattern> mostSpecificMatch(PathContainer path) {
			return this.paths.stream()
				.filter((pattern) -> pattern.matches(path))
				.min(PathPattern.SPECIFICITY_COMPARATOR);
		}

	}

	/**
	 * Canary rollout.
	 *
	 * @param percent share of traffic the target serves in stage canary
	 * @param stickyBy what keeps a client on one backend; {@code null} means random per
	 * request
	 */
	public record Rollout(Percent percent, @Nullable StickyKey stickyBy) {

		/** Defaults: 0 percent, random. */
		public static final Rollout DEFAULT = new Rollout(Percent.ZERO, null);

	}

	/**
	 * Mirroring to the target.
	 *
	 * @param percent share of eligible requests mirrored
	 * @param methods methods eligible for mirroring
	 * @param timeout how long a mirrored call may take
	 */
	public record Shadow(Percent percent, Set<HttpMethod> methods, Duration timeout) {

		/** Defaults: 100 percent of GET and HEAD, 2 s. */
		public static final Shadow DEFAULT = new Shadow(Percent.ALL, Set.of(HttpMethod.GET, HttpMethod.HEAD),
				Duration.ofSeconds(2));

		public Shadow {
			methods = Set.copyOf(methods);
		}

	}

	/**
	 * Comparison of legacy and target responses.
	 *
	 * @param ignore JSON paths whose values never count as differences
	 * @param headers response headers that must match (the status always must)
	 * @param arrayOrder whether array order matters
	 * @param numericTolerance absolute tolerance for numbers
	 */
	public record Compare(List<JsonPath> ignore, List<String> headers, ArrayOrder arrayOrder,
			BigDecimal numericTolerance) {

		/** Defaults: nothing ignored, no headers, strict order, exact numbers. */
		public static final Compare DEFAULT = new Compare(List.of(), List.of(), ArrayOrder.STRICT, BigDecimal.ZERO);

		public Compare {
			ignore = List.copyOf(ignore);
			headers = List.copyOf(headers);
		}

	}

	/**
	 * Whether array element order counts when comparing.
	 */
	public enum ArrayOrder {

		/** Order matters. */
		STRICT,
		/** Arrays are compared as multisets. */
		IGNORE

	}

	/**
	 * Response caching.
	 *
	 * @param ttl how long an entry lives
	 * @param maxEntries most entries held
	 * @param maxBytes most bytes held
	 * @param vary request headers that are part of the cache key
	 */
	public record Cache(Duration ttl, long maxEntries, DataSize maxBytes, List<String> vary) {

		/** Defaults used for keys a {@code cache} block leaves out. */
		public static final Cache DEFAULT = new Cache(Duration.ofSeconds(30), 10_000, DataSize.ofMegabytes(64),
				List.of());

		public Cache {
			vary = List.copyOf(vary);
		}

	}

	/**
	 * Protection of calls to the target, and, only when the route opts in, of calls to
	 * legacy.
	 *
	 * @param timeout per call to the target
	 * @param failureRateThreshold failure percentage that opens the circuit
	 * @param slowCallThreshold calls slower than this count as slow
	 * @param openStateWait how long an open circuit stays open
	 * @param retries retries of idempotent methods
	 * @param fallbackToLegacy whether a failed target call falls back to legacy (when
	 * safe)
	 * @param legacy the guard around calls to legacy; {@code null} (the default) passes
	 * them through like requests no route claims
	 */
	public record Resilience(Duration timeout, int failureRateThreshold, Duration slowCallThreshold,
			Duration openStateWait, int retries, boolean fallbackToLegacy, @Nullable LegacyGuard legacy) {

		/** Defaults: 2 s, 50 %, 1 s, 30 s, no retries, fall back, legacy unguarded. */
		public static final Resilience DEFAULT = new Resilience(Duration.ofSeconds(2), 50, Duration.ofSeconds(1),
				Duration.ofSeconds(30), 0, true, null);

	}

	/**
	 * An opt-in circuit breaker and bulkhead around a route's calls to legacy, for a
	 * monolith that needs the gateway to shed load. No time limit of its own: legacy
	 * calls are bounded by the gateway's response timeout alone.
	 *
	 * @param failureRateThreshold failure percentage (5xx answers, broken connections,
	 * timeouts) that opens the circuit
	 * @param slowCallThreshold calls slower than this count as slow
	 * @param openStateWait how long an open circuit stays open
	 * @param maxConcurrentCalls calls to legacy in flight at once; more get a 503 problem
	 */
	public record LegacyGuard(int failureRateThreshold, Duration slowCallThreshold, Duration openStateWait,
			int maxConcurrentCalls) {

		/**
		 * Defaults for keys a {@code resilience.legacy} block leaves out: 50 %, 5 s, 30
		 * s, 200.
		 */
		public static final LegacyGuard DEFAULT = new LegacyGuard(50, Duration.ofSeconds(5), Duration.ofSeconds(30),
				200);

	}

}
