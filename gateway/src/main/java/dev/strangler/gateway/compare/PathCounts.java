package dev.strangler.gateway.compare;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often each differing path template appeared, ranked: what an operator reads first
 * to find the rule or the bug behind most mismatches.
 *
 * <pre class="code">
 * PathCounts.top(Map.of("$.price", 3L, "status", 1L), 1); // {$.price=3}
 * </pre>
 */
public final class PathCounts {

	private PathCounts() {
	}

	/**
	 * The most frequent paths.
	 * @param counts path template to the number of mismatches it appeared in
	 * @param limit most paths answered
	 * @return the paths, most frequent first, ties by path
	 */
	public static Map<String, Long> top(Map<String, Long> counts, int limit) {
		Map<String, Long> top = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
				.thenComparing(Map.Entry.comparingByKey()))
			.limit(limit)
			.forEach((entry) -> top.put(entry.getKey(), entry.getValue()));
		return top;
	}

}
