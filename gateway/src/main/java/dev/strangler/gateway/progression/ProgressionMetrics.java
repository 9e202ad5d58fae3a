package dev.strangler.gateway.progression;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code strangler.progression.step{route}}: the step number a route is at (from 1; 0
 * before the progression started), and
 * {@code strangler.progression.decisions{route,result}}: decisions taken, by result
 * (held, promoted, rolled-back, ...). Only the instance that takes the decisions reports
 * the step: one that loses the decision lease stops reporting it, so a dashboard never
 * shows the step an instance last saw before another one moved the route on.
 */
final class ProgressionMetrics {

	static final String STEP = "strangler.progression.step";

	static final String DECISIONS = "strangler.progression.decisions";

	private final MeterRegistry registry;

	private final Map<String, AtomicInteger> steps = new ConcurrentHashMap<>();

	ProgressionMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void step(String routeId, ProgressionState state) {
		gauge(routeId).set((state.phase() == Phase.WAITING) ? 0 : state.step() + 1);
	}

	void decided(String routeId, Decision decision) {
		step(routeId, decision.state());
		Counter.builder(DECISIONS)
			.description("Progression decisions, by result")
			.tag("route", routeId)
			.tag("result", decision.result().value())
			.register(this.registry)
			.increment();
	}

	/**
	 * Stops reporting the steps, until the next {@link #step}.
	 */
	void forgetSteps() {
		for (String routeId : this.steps.keySet()) {
			Gauge gauge = this.registry.find(STEP).tag("route", routeId).gauge();
			if (gauge != null) {
				this.registry.remove(gauge);
			}
		}
		this.steps.clear();
	}

	private AtomicInteger gauge(String routeId) {
		return this.steps.computeIfAbsent(routeId, (id) -> {
			AtomicInteger step = new AtomicInteger();
			Gauge.builder(STEP, step, AtomicInteger::get)
				.description("The progression step a route is at, from 1; 0 before it started")
				.tag("route", id)
				.register(this.registry);
			return step;
		});
	}

}
