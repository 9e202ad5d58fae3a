package dev.strangler.gateway.compare;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The most recent mismatches of each route, at most {@code capacityPerRoute} of them: the
 * oldest is dropped when a new one arrives. Thread-safe.
 *
 * <pre class="code">
 * DiffBuffer diffs = new DiffBuffer(100);
 * diffs.add("catalog", record);
 * List&lt;DiffRecord&gt; newestFirst = diffs.recent("catalog");
 * </pre>
 */
public final class DiffBuffer {

	private final int capacityPerRoute;

	private final Map<String, Ring> rings = new ConcurrentHashMap<>();

	/**
	 * A buffer keeping up to {@code capacityPerRoute} records per route.
	 * @param capacityPerRoute records kept per route, at least 1
	 */
	public DiffBuffer(int capacityPerRoute) {
		if (capacityPerRoute < 1) {
			throw new IllegalArgumentException("capacityPerRoute must be at least 1 but was " + capacityPerRoute);
		}
		this.capacityPerRoute = capacityPerRoute;
	}

	/**
	 * Records a mismatch, dropping the route's oldest when full.
	 * @param routeId the route
	 * @param record the mismatch
	 */
	public void add(String routeId, DiffRecord record) {
		this.rings.computeIfAbsent(routeId, (id) -> new Ring(this.capacityPerRoute)).add(record);
	}

	/**
	 * The route's buffered mismatches, newest first.
	 * @param routeId the route
	 * @return a snapshot, empty if none
	 */
	public List<DiffRecord> recent(String routeId) {
		Ring ring = this.rings.get(routeId);
		return (ring != null) ? ring.newestFirst() : List.of();
	}

	/**
	 * The JSON paths (array indexes as {@code [*]}) that differ most often among the
	 * route's buffered mismatches.
	 * @param routeId the route
	 * @param limit most paths returned
	 * @return path template to number of buffered mismatches it appears in, most frequent
	 * first
	 */
	public Map<String, Long> topPaths(String routeId, int limit) {
		Map<String, Long> counts = new HashMap<>();
		for (DiffRecord record : recent(routeId)) {
			record.differences()
				.stream()
				.map(Difference::pathTemplate)
				.distinct()
				.forEach((path) -> counts.merge(path, 1L, Long::sum));
		}
		return PathCounts.top(counts, limit);
	}

	/**
	 * Forgets a route's mismatches.
	 * @param routeId the route
	 */
	public void clear(String routeId) {
		this.rings.remove(routeId);
	}

	/**
	 * Forgets the mismatches of every route not listed, e.g. after a reload removed
	 * routes.
	 * @param routeIds the routes to keep
	 */
	public void retain(Collection<String> routeIds) {
		this.rings.keySet().retainAll(routeIds);
	}

	@Override
	public String toString() {
		return "DiffBuffer[capacityPerRoute=" + this.capacityPerRoute + ", routes=" + this.rings.keySet() + "]";
	}

	private static final class Ring {

		private final int capacity;

		private final ArrayDeque<DiffRecord> records;

		Ring(int capacity) {
			this.capacity = capacity;
			this.records = new ArrayDeque<>(Math.min(capacity, 64));
		}

		synchronized void add(DiffRecord record) {
			if (this.records.size() == this.capacity) {
				this.records.removeFirst();
			}
			this.records.addLast(record);
		}

		synchronized List<DiffRecord> newestFirst() {
			List<DiffRecord> snapshot = new ArrayList<>(this.records);
			java.util.Collections.reverse(snapshot);
			return snapshot;
		}

	}

}
