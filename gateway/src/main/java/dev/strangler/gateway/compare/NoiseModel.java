package dev.strangler.gateway.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.strangler.gateway.compare.Difference.Kind;

/**
 * Noise learned by asking legacy twice (the idea behind Diffy): whatever differs between
 * two legacy answers to the same request (a timestamp, a request id) is noise, and is not
 * held against the target. Learned per route and request-path template, as path templates
 * ({@code $.content[*].generatedAt}) that are themselves valid ignore rules. Thread-safe
 * and bounded.
 *
 * <pre class="code">
 * noise.learn("catalog", "/api/products", comparator.compare(rules, legacy, legacyAgain));
 * Comparison counted = noise.withoutNoise("catalog", "/api/products", comparator.compare(rules, legacy, target));
 * </pre>
 *
 * <ul>
 * <li>A noisy path also covers everything below it ({@code $.meta} covers
 * {@code $.meta.requestId}).</li>
 * <li>Status and whole-body ({@code $}) differences are never learned: they would hide
 * every difference of the response.</li>
 * <li>A request-path template is still {@linkplain #learning learning} until
 * {@code settleAfter} second looks in a row taught nothing new; after that, asking legacy
 * twice for it costs a call and teaches nothing, so callers stop.</li>
 * </ul>
 */
public final class NoiseModel {

	/** Default bound on request-path templates learned per route. */
	public static final int DEFAULT_MAX_PATH_KEYS_PER_ROUTE = 256;

	/** Default bound on noisy JSON paths learned per request-path template. */
	public static final int DEFAULT_MAX_PATHS_PER_KEY = 64;

	/**
	 * Default number of second looks in a row that teach nothing new after which a
	 * request-path template counts as learned.
	 */
	public static final int DEFAULT_SETTLE_AFTER = 20;

	private final int maxPathKeysPerRoute;

	private final int maxPathsPerKey;

	private final int settleAfter;

	private final Map<String, Map<String, Learned>> routes = new ConcurrentHashMap<>();

	/**
	 * A model with the default bounds.
	 */
	public NoiseModel() {
		this(DEFAULT_MAX_PATH_KEYS_PER_ROUTE, DEFAULT_MAX_PATHS_PER_KEY);
	}

	/**
	 * A model with the given bounds; once one is reached, new noise is not learned.
	 * @param maxPathKeysPerRoute request-path templates per route, at least 1
	 * @param maxPathsPerKey noisy JSON paths per request-path template, at least 1
	 */
	public NoiseModel(int maxPathKeysPerRoute, int maxPathsPerKey) {
		this(maxPathKeysPerRoute, maxPathsPerKey, DEFAULT_SETTLE_AFTER);
	}

	/**
	 * A model with the given bounds and settling point.
	 * @param maxPathKeysPerRoute request-path templates per route, at least 1
	 * @param maxPathsPerKey noisy JSON paths per request-path template, at least 1
	 * @param settleAfter second looks in a row that teach nothing new after which a
	 * request-path template is no longer {@linkplain #learning learning}, at least 1
	 */
	public NoiseModel(int maxPathKeysPerRoute, int maxPathsPerKey, int settleAfter) {
		if (maxPathKeysPerRoute < 1) {
			throw new IllegalArgumentException("maxPathKeysPerRoute must be at least 1 but was " + maxPathKeysPerRoute);
		}
		if (maxPathsPerKey < 1) {
			throw new IllegalArgumentException("maxPathsPerKey must be at least 1 but was " + maxPathsPerKey);
		}
		if (settleAfter < 1) {
			throw new IllegalArgumentException("settleAfter must be at least 1 but was " + settleAfter);
		}
		this.maxPathKeysPerRoute = maxPathKeysPerRoute;
		this.maxPathsPerKey = maxPathsPerKey;
		this.settleAfter = settleAfter;
	}

	/**
	 * Whether asking legacy a second time for this request-path template can still teach
	 * something: until {@code settleAfter} second looks in a row taught nothing new, and
	 * while the route's bound on templates leaves room for it.
	 * @param routeId the route
	 * @param pathKey the request-path template
	 * @return {@code true} while the template is still being learned
	 */
	public boolean learning(String routeId, String pathKey) {
		Map<String, Learned> keys = this.routes.get(routeId);
		Learned learned = (keys != null) ? keys.get(pathKey) : null;
		if (learned == null) {
			return keys == null || keys.size() < this.maxPathKeysPerRoute;
		}
		return learned.quietLooks.get() < this.settleAfter;
	}

	/**
	 * Learns the differences between two legacy answers to one request as noise. A look
	 * that teaches nothing new counts towards the template's settling; one that does
	 * starts the count again.
	 * @param routeId the route
	 * @param pathKey the request-path template (e.g. the matched path pattern)
	 * @param legacyVsLegacy the comparison of legacy's first answer with its second
	 */
	public void learn(String routeId, String pathKey, Comparison legacyVsLegacy) {
		List<String> noisy = new ArrayList<>();
		for (Difference difference : legacyVsLegacy.differences()) {
			if (learnable(difference)) {
				noisy.add(difference.pathTemplate());
			}
		}
		Map<String, Learned> keys = this.routes.computeIfAbsent(routeId, (id) -> new ConcurrentHashMap<>());
		Learned learned = keys.get(pathKey);
		if (learned == null) {
			// The bound is checked before inserting; concurrent learners can overshoot it
			// by at most their number, which keeps it a bound without a lock.
			if (keys.size() >= this.maxPathKeysPerRoute) {
				return;
			}
			learned = keys.computeIfAbsent(pathKey, (key) -> new Learned());
		}
		boolean taughtSomething = false;
		for (String path : noisy) {
			if (learned.paths.size() >= this.maxPathsPerKey) {
				break;
			}
			taughtSomething |= learned.paths.add(path);
		}
		if (taughtSomething) {
			learned.quietLooks.set(0);
		}
		else {
			learned.quietLooks.incrementAndGet();
		}
	}

	private static boolean learnable(Difference difference) {
		return difference.kind() != Kind.STATUS && difference.kind() != Kind.BODY && difference.kind() != Kind.OMITTED
				&& !difference.path().equals("$") && !difference.path().equals("status");
	}

	/**
	 * The comparison without the differences at learned noisy paths: a match if nothing
	 * else differs.
	 * @param routeId the route
	 * @param pathKey the request-path template
	 * @param comparison the comparison of legacy's answer with the target's
	 * @return the comparison that counts
	 */
	public Comparison withoutNoise(String routeId, String pathKey, Comparison comparison) {
		Set<String> noisy = noisy(routeId, pathKey);
		if (noisy.isEmpty() || comparison.differences().isEmpty()) {
			return comparison;
		}
		List<Difference> kept = comparison.differences()
			.stream()
			.filter((difference) -> !isNoise(difference.pathTemplate(), noisy))
			.toList();
		if (kept.size() == comparison.differences().size()) {
			return comparison;
		}
		return Comparison.of(kept, comparison.bodyCompared());
	}

	private Set<String> noisy(String routeId, String pathKey) {
		Map<String, Learned> keys = this.routes.get(routeId);
		Learned learned = (keys != null) ? keys.get(pathKey) : null;
		return (learned != null) ? learned.paths : Set.of();
	}

	private static boolean isNoise(String template, Set<String> noisy) {
		if (noisy.contains(template)) {
			return true;
		}
		for (String path : noisy) {
			if (template.length() > path.length() && template.startsWith(path)) {
				char next = template.charAt(path.length());
				if (next == '.' || next == '[') {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * The noise learned for a route.
	 * @param routeId the route
	 * @return request-path template to its noisy JSON paths, sorted; empty if none
	 */
	public Map<String, Set<String>> noisyPaths(String routeId) {
		Map<String, Learned> keys = this.routes.get(routeId);
		if (keys == null) {
			return Map.of();
		}
		Map<String, Set<String>> snapshot = new TreeMap<>();
		keys.forEach((key, learned) -> {
			// a template asked about but quiet so far has no noise to show
			if (!learned.paths.isEmpty()) {
				snapshot.put(key, Collections.unmodifiableSet(new TreeSet<>(learned.paths)));
			}
		});
		return Collections.unmodifiableMap(snapshot);
	}

	/**
	 * Forgets what was learned for a route, e.g. when its rules or backends change.
	 * @param routeId the route
	 */
	public void forget(String routeId) {
		this.routes.remove(routeId);
	}

	@Override
	public String toString() {
		return "NoiseModel[maxPathKeysPerRoute=" + this.maxPathKeysPerRoute + ", maxPathsPerKey=" + this.maxPathsPerKey
				+ ", settleAfter=" + this.settleAfter + ", routes=" + this.routes.keySet() + "]";
	}

	/** What one request-path template taught so far. */
	private static final class Learned {

		final Set<String> paths = ConcurrentHashMap.newKeySet();

		/** Second looks in a row that taught nothing new. */
		final AtomicInteger quietLooks = new AtomicInteger();

	}

}
