package dev.strangler.gateway.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.strangler.gateway.shadow.ShadowStats;

/**
 * A route's shadow mismatch rate over time, for the dashboard's chart: every route's
 * cumulative shadow counts are sampled at a fixed interval, and the rate of each interval
 * is what was compared and mismatched between two samples. Bounded: a fixed number of
 * samples per route, and only routes that exist.
 *
 * <pre class="code">
 * history.sample();                 // called every strangler.dashboard.history-interval
 * history.points("catalog");        // one point per interval, oldest first
 * </pre>
 */
final class MismatchHistory {

	private final Supplier<List<String>> routeIds;

	private final Function<String, ShadowStats> stats;

	private final Clock clock;

	private final int capacity;

	private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

	MismatchHistory(Supplier<List<String>> routeIds, Function<String, ShadowStats> stats, Clock clock, int capacity) {
		this.routeIds = routeIds;
		this.stats = stats;
		this.clock = clock;
		this.capacity = capacity;
	}

	/** Takes one sample of every route's counts; forgets routes that are gone. */
	void sample() {
		Instant now = this.clock.instant();
		List<String> ids = this.routeIds.get();
		this.samples.keySet().retainAll(ids);
		for (String id : ids) {
			ShadowStats current = this.stats.apply(id);
			Deque<Sample> ring = this.samples.computeIfAbsent(id, (key) -> new ArrayDeque<>());
			synchronized (ring) {
				ring.addLast(new Sample(now, current.compared(), current.mismatch()));
				while (ring.size() > this.capacity + 1) {
					ring.removeFirst();
				}
			}
		}
	}

	/**
	 * The mismatch rate of each sampled interval, oldest first.
	 * @param routeId the route
	 * @return one point per interval; empty before two samples were taken
	 */
	List<Point> points(String routeId) {
		Deque<Sample> ring = this.samples.get(routeId);
		if (ring == null) {
			return List.of();
		}
		List<Sample> copy;
		synchronized (ring) {
			copy = new ArrayList<>(ring);
		}
		List<Point> points = new ArrayList<>(copy.size());
		for (int i = 1; i < copy.size(); i++) {
			Sample before = copy.get(i - 1);
			Sample after = copy.get(i);
			// a restart of the counts (never expected) reads as an interval with nothing
			long compared = Math.max(0, after.compared() - before.compared());
			long mismatched = Math.max(0, Math.min(compared, after.mismatch() - before.mismatch()));
			points.add(new Point(after.at(), compared, (compared > 0) ? (double) mismatched / compared : 0));
		}
		return points;
	}

	@Override
	public String toString() {
		return "MismatchHistory[routes=" + this.samples.keySet() + ", capacity=" + this.capacity + "]";
	}

	private record Sample(Instant at, long compared, long mismatch) {

	}

	/**
	 * One interval of the chart.
	 *
	 * @param at the end of the interval
	 * @param compared comparisons made in it
	 * @param mismatchRate mismatches over comparisons in it, 0 when none was made
	 */
	record Point(Instant at, long compared, double mismatchRate) {

	}

}
