package dev.strangler.gateway.admin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import dev.strangler.gateway.observe.RequestOutcome;
import dev.strangler.gateway.observe.RequestOutcomeListener;
import dev.strangler.gateway.rollout.Backend;

/**
 * Live request counts of every route and backend since start-up, for the admin API: how
 * many requests, how many failed (5xx or no response), how long they took. Lock-free and
 * bounded by the number of route ids times two backends. Fed by the gateway's one record
 * per request ({@link RequestOutcome}), the same that the {@code strangler.requests}
 * timer and the access log are made from.
 *
 * <pre class="code">
 * traffic.record("catalog", Backend.TARGET, 200, 3_500_000);
 * traffic.of("catalog", Backend.TARGET).requests(); // 1
 * </pre>
 */
final class RouteTraffic implements RequestOutcomeListener {

	private final Map<String, Counters[]> counters = new ConcurrentHashMap<>();

	@Override
	public void completed(RequestOutcome outcome) {
		if (outcome.routed()) {
			record(outcome.route(), outcome.backend(), outcome.status(), outcome.nanos());
		}
	}

	/**
	 * Records one finished request.
	 * @param routeId the route that claimed it
	 * @param backend the backend that served it
	 * @param status the response status, or 0 when there was none
	 * @param nanos how long it took
	 */
	void record(String routeId, Backend backend, int status, long nanos) {
		Counters[] byBackend = this.counters.get(routeId);
		if (byBackend == null) {
			byBackend = this.counters.computeIfAbsent(routeId, (id) -> newCounters());
		}
		Counters counters = byBackend[backend.ordinal()];
		counters.requests.increment();
		if (status == 0 || status >= 500) {
			counters.errors.increment();
		}
		counters.totalNanos.add(nanos);
		counters.maxNanos.accumulate(nanos);
	}

	/**
	 * The figures of one route and backend.
	 * @param routeId the route
	 * @param backend the backend
	 * @return the figures, zero when nothing was recorded
	 */
	Figures of(String routeId, Backend backend) {
		Counters[] byBackend = this.counters.get(routeId);
		if (byBackend == null) {
			return Figures.NONE;
		}
		Counters counters = byBackend[backend.ordinal()];
		return new Figures(counters.requests.sum(), counters.errors.sum(), counters.totalNanos.sum(),
				counters.maxNanos.get());
	}

	@Override
	public String toString() {
		return "RouteTraffic" + this.counters.keySet();
	}

	/**
	 * Counts of one route and backend.
	 *
	 * @param requests requests served
	 * @param errors requests answered with 5xx or not answered
	 * @param totalNanos time spent on them, summed
	 * @param maxNanos the longest
	 */
	record Figures(long requests, long errors, long totalNanos, long maxNanos) {

		static final Figures NONE = new Figures(0, 0, 0, 0);

		double meanMillis() {
			return (this.requests == 0) ? 0 : this.totalNanos / 1e6 / this.requests;
		}

		double maxMillis() {
			return this.maxNanos / 1e6;
		}

	}

	private static Counters[] newCounters() {
		Counters[] byBackend = new Counters[Backend.values().length];
		for (int i = 0; i < byBackend.length; i++) {
			byBackend[i] = new Counters();
		}
		return byBackend;
	}

	private static final class Counters {

		final LongAdder requests = new LongAdder();

		final LongAdder errors = new LongAdder();

		final LongAdder totalNanos = new LongAdder();

		final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

	}

}
