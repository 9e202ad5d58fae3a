package dev.strangler.gateway.dashboard;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

import dev.strangler.gateway.route.Route;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

/**
 * Reads the {@code strangler.requests} timers the gateway records (docs/observability.md)
 * for what the admin figures do not hold: the 99th percentile latency of a route's
 * backend, from the timers' histogram buckets, and the share of traffic no route claims.
 * Reads only; the timers are registered and fed by the {@code observe} feature.
 */
final class RequestLatencies {

	static final String REQUESTS = "strangler.requests";

	private final MeterRegistry registry;

	RequestLatencies(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The 99th percentile of a route's requests to one backend, as the upper bound of the
	 * histogram bucket it falls in.
	 * @param routeId the route
	 * @param backend {@code legacy} or {@code target}
	 * @return at most this many milliseconds; empty when there were no requests
	 */
	OptionalDouble p99Millis(String routeId, String backend) {
		Collection<Timer> timers = this.registry.find(REQUESTS).tag("route", routeId).tag("backend", backend).timers();
		// Several timers (one per stage and status) share one set of buckets: their
		// cumulative counts add up bucket by bucket.
		Map<Double, Double> buckets = new LinkedHashMap<>();
		long total = 0;
		for (Timer timer : timers) {
			HistogramSnapshot snapshot = timer.takeSnapshot();
			total += snapshot.count();
			for (CountAtBucket bucket : snapshot.histogramCounts()) {
				buckets.merge(bucket.bucket(), bucket.count(), Double::sum);
			}
		}
		if (total == 0 || buckets.isEmpty()) {
			return OptionalDouble.empty();
		}
		double wanted = 0.99 * total;
		return buckets.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.filter((bucket) -> bucket.getValue() >= wanted)
			.mapToDouble((bucket) -> bucket.getKey() / 1e6)
			.findFirst();
	}

	/**
	 * The share of requests that no route claimed (they went to the default upstream).
	 * @return unrouted requests over all requests, 0 when there were none
	 */
	double unroutedShare() {
		long all = 0;
		long unrouted = 0;
		for (Timer timer : this.registry.find(REQUESTS).timers()) {
			long count = timer.count();
			all += count;
			if (Route.UNROUTED_ID.equals(timer.getId().getTag("route"))) {
				unrouted += count;
			}
		}
		return (all > 0) ? (double) unrouted / all : 0;
	}

	@Override
	public String toString() {
		return "RequestLatencies[" + REQUESTS + "]";
	}

}
