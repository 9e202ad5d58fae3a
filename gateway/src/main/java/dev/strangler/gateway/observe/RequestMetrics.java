package dev.strangler.gateway.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Stage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records the {@code strangler.requests} timer (tags {@code route}, {@code backend},
 * {@code stage}, {@code status}). Percentile histograms and SLO buckets come from
 * {@code management.metrics.distribution.*} properties, so operators can change them
 * without a build.
 * <p>
 * Each timer is registered once, on the first request of its route, backend, stage and
 * status, and held: later requests find it by array index, without building tags or
 * looking it up in the registry (Micrometer's own advice for hot paths).
 */
final class RequestMetrics implements RequestOutcomeListener {

	/** The timer's name. */
	static final String NAME = "strangler.requests";

	private static final String DESCRIPTION = "Requests through the gateway, by route, serving backend, stage and status";

	/** Status codes 0 (cancelled) to 599 have a slot; others are looked up. */
	private static final int STATUS_SLOTS = 600;

	private static final int BACKENDS = Backend.values().length;

	/** No stage (unrouted) and every stage. */
	private static final int STAGES = Stage.values().length + 1;

	private final MeterRegistry registry;

	private final Map<String, RouteTimers> routes = new ConcurrentHashMap<>();

	RequestMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void completed(RequestOutcome outcome) {
		timer(outcome).record(outcome.nanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * The timer of an outcome's route, backend, stage and status, registered the first
	 * time.
	 */
	Timer timer(RequestOutcome outcome) {
		RouteTimers timers = this.routes.get(outcome.route());
		if (timers == null) {
			timers = this.routes.computeIfAbsent(outcome.route(), (id) -> new RouteTimers());
		}
		int combination = ((outcome.stage() != null) ? outcome.stage().ordinal() + 1 : 0) * BACKENDS
				+ outcome.backend().ordinal();
		int status = outcome.status();
		if (status < 0 || status >= STATUS_SLOTS) {
			return register(outcome);
		}
		AtomicReferenceArray<Timer> byStatus = timers.byCombination.get(combination);
		if (byStatus == null) {
			timers.byCombination.compareAndSet(combination, null, new AtomicReferenceArray<>(STATUS_SLOTS));
			byStatus = timers.byCombination.get(combination);
		}
		Timer timer = byStatus.get(status);
		if (timer == null) {
			// A race registers twice: the registry returns the same timer both times.
			timer = register(outcome);
			byStatus.set(status, timer);
		}
		return timer;
	}

	private Timer register(RequestOutcome outcome) {
		return Timer.builder(NAME)
			.description(DESCRIPTION)
			.tag("route", outcome.route())
			.tag("backend", outcome.backend().value())
			.tag("stage", outcome.stageText())
			.tag("status", outcome.statusText())
			.register(this.registry);
	}

	@Override
	public String toString() {
		return "RequestMetrics[" + NAME + ", routes=" + this.routes.keySet() + "]";
	}

	/** The timers of one route, by stage and backend, then by status. */
	private static final class RouteTimers {

		final AtomicReferenceArray<AtomicReferenceArray<Timer>> byCombination = new AtomicReferenceArray<>(
				STAGES * BACKENDS);

	}

}
