package dev.strangler.gateway.progression;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.strangler.gateway.observe.RequestOutcome;
import dev.strangler.gateway.observe.RequestOutcomeListener;
import dev.strangler.gateway.resilience.CircuitStates;
import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.shadow.ShadowReports;
import dev.strangler.gateway.shadow.ShadowStats;

/**
 * This instance's own measurements as progression evidence: requests, 5xx and latency per
 * route and backend (fed by the one record per request), shadow comparisons from
 * {@link ShadowReports}, the target circuit from {@link CircuitStates}. Each call returns
 * what changed since the previous call for that route, so the controller, which asks once
 * per interval, gets each interval's figures. With several instances the shared store's
 * cluster-wide evidence replaces it.
 */
final class LocalEvidence implements Evidence, RequestOutcomeListener {

	private final Map<String, BackendCounters[]> counters = new ConcurrentHashMap<>();

	private final Map<String, Totals> baselines = new ConcurrentHashMap<>();

	private final Optional<ShadowReports> shadow;

	private final Optional<CircuitStates> circuits;

	LocalEvidence(Optional<ShadowReports> shadow, Optional<CircuitStates> circuits) {
		this.shadow = shadow;
		this.circuits = circuits;
	}

	@Override
	public void completed(RequestOutcome outcome) {
		if (!outcome.routed()) {
			return;
		}
		BackendCounters counters = this.counters.computeIfAbsent(outcome.route(),
				(id) -> newCounters())[outcome.backend().ordinal()];
		counters.requests.incrementAndGet();
		if (outcome.status() == RequestOutcome.CANCELLED || outcome.status() >= 500) {
			counters.errors.incrementAndGet();
		}
		counters.latency.record(outcome.nanos());
	}

	@Override
	public IntervalFigures figuresOf(String routeId, Instant from, Instant to) {
		Totals now = totals(routeId);
		Totals before = this.baselines.getOrDefault(routeId, Totals.ZERO);
		this.baselines.put(routeId, now);
		boolean circuitOpen = this.circuits.map((states) -> states.of(routeId).get(Backend.TARGET.value()))
			.map((circuit) -> "OPEN".equals(circuit.state()) || "HALF_OPEN".equals(circuit.state()))
			.orElse(false);
		return new IntervalFigures(now.comparisons - before.comparisons, now.mismatches - before.mismatches,
				figures(now.backends[Backend.LEGACY.ordinal()], before.backends[Backend.LEGACY.ordinal()]),
				figures(now.backends[Backend.TARGET.ordinal()], before.backends[Backend.TARGET.ordinal()]),
				circuitOpen);
	}

	private Totals totals(String routeId) {
		ShadowStats stats = this.shadow.map((reports) -> reports.stats(routeId)).orElse(ShadowStats.NONE);
		BackendCounters[] byBackend = this.counters.get(routeId);
		BackendTotals[] backends = new BackendTotals[Backend.values().length];
		for (Backend backend : Backend.values()) {
			backends[backend.ordinal()] = (byBackend != null) ? byBackend[backend.ordinal()].totals()
					: BackendTotals.ZERO;
		}
		return new Totals(stats.match() + stats.mismatch(), stats.mismatch(), backends);
	}

	private static BackendFigures figures(BackendTotals now, BackendTotals before) {
		return new BackendFigures(now.requests - before.requests, now.errors - before.errors,
				LatencyBuckets.p99Millis(now.latency, before.latency));
	}

	private static BackendCounters[] newCounters() {
		BackendCounters[] byBackend = new BackendCounters[Backend.values().length];
		for (int i = 0; i < byBackend.length; i++) {
			byBackend[i] = new BackendCounters();
		}
		return byBackend;
	}

	@Override
	public String toString() {
		return "LocalEvidence" + this.counters.keySet();
	}

	private static final class BackendCounters {

		final AtomicLong requests = new AtomicLong();

		final AtomicLong errors = new AtomicLong();

		final LatencyBuckets latency = new LatencyBuckets();

		BackendTotals totals() {
			return new BackendTotals(this.requests.get(), this.errors.get(), this.latency.snapshot());
		}

	}

	private record BackendTotals(long requests, long errors, long[] latency) {

		static final BackendTotals ZERO = new BackendTotals(0, 0, new long[LatencyBuckets.SIZE]);

	}

	private record Totals(long comparisons, long mismatches, BackendTotals[] backends) {

		static final Totals ZERO = new Totals(0, 0, new BackendTotals[] { BackendTotals.ZERO, BackendTotals.ZERO });

	}

}
