package dev.strangler.gateway.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

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
 * </ul>
 */
public final class NoiseModel {

	/** Default bound on request-path templates learned per route. */
	public static final int DEFAULT_MAX_PATH_KEYS_PER_ROUTE = 256;

	/** Default bound on noisy JSON paths learned per request-path template. */
	public static final int DEFAULT_MAX_PATHS_PER_KEY = 64;

	private final int maxPathKeysPerRoute;

	private final int maxPathsPerKey;

	private final Map<String, Map<String, Set<String>>> routes = new ConcurrentHashMap<>();

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
		if (maxPathKeysPerRoute < 1) {
			throw new IllegalArgumentException("maxPathKeysPerRoute must be at least 1 but was " + maxPathKeysPerRoute);
		}
		if (maxPathsPerKey < 1) {
			throw new IllegalArgumentException("maxPathsPerKey must be at least 1 but was " + maxPathsPerKey);
		}
		this.maxPathKeysPerRoute = maxPathKeysPerRoute;
		this.maxPathsPerKey = maxPathsPerKey;
	}

	/**
	 * Learns the differences between two legacy answers to one request as noise.
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
		if (noisy.isEmpty()) {
			return;
		}
		Map<String, Set<String>> keys = this.routes.computeIfAbsent(routeId, (id) -> new ConcurrentHashMap<>());
		Set<String> paths = keys.get(pathKey);
		if (paths == null) {
			// The bound is checked before inserting; concurrent learners can overshoot it
			// by
			// at most their number, which keeps it a bound without a lock.
			if (keys.size() >= this.maxPathKeysPerRoute) {
				return;
			}
			paths = keys.computeIfAbsent(pathKey, (key) -> ConcurrentHashMap.newKeySet());
		}
		for (String path : noisy) {
			if (paths.size() >= this.maxPathsPerKey) {
				return;
			}
			paths.add(path);
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
		Map<String, Set<String>> keys = this.routes.get(routeId);
		Set<String> paths = (keys != null) ? keys.get(pathKey) : null;
		return (paths != null) ? paths : Set.of();
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
		Map<String, Set<String>> keys = this.routes.get(routeId);
		if (keys == null) {
			return Map.of();
		}
		Map<String, Set<String>> snapshot = new TreeMap<>();
		keys.forEach((key, paths) -> snapshot.put(key, Collections.unmodifiableSet(new TreeSet<>(paths))));
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
				+ ", routes=" + this.routes.keySet() + "]";
	}

}
