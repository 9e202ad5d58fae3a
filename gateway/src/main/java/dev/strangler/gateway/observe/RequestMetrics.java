package dev.strangler.gateway.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records the {@code strangler.requests} timer (tags {@code route}, {@code backend},
 * {@code stage}, {@code status}). Percentile histograms and SLO buckets come from
 * {@code management.metrics.distribution.*} properties, so operators can change them
 * without a build.
 */
final class RequestMetrics implements RequestOutcomeFilter.Listener {

	/** The timer's name. */
	static final String NAME = "strangler.requests";

	private final MeterRegistry registry;

	RequestMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void completed(RequestOutcome outcome) {
		Timer.builder(NAME)
			.description("Requests through the gateway, by route, serving backend, stage and status")
			.tag("route", outcome.route())
			.tag("backend", outcome.backend())
			.tag("stage", outcome.stage())
			.tag("status", outcome.status())
			.register(this.registry)
			.record(outcome.duration());
	}

	@Override
	public String toString() {
		return "RequestMetrics[" + NAME + "]";
	}

}
