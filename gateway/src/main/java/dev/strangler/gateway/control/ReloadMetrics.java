package dev.strangler.gateway.control;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes how route-file reloads go: {@code strangler.routes.reloads{result}} counts
 * them, {@code strangler.routes.reload.failing} is 1 while the files on disk are rejected
 * (alert on it: the gateway runs on an older configuration than the files say).
 */
final class ReloadMetrics implements RouteControl.ReloadListener {

	static final String RELOADS = "strangler.routes.reloads";

	static final String FAILING = "strangler.routes.reload.failing";

	private final Counter successes;

	private final Counter failures;

	private final AtomicInteger failing = new AtomicInteger();

	ReloadMetrics(MeterRegistry registry) {
		this.successes = Counter.builder(RELOADS)
			.description("Reloads of the route files")
			.tag("result", "success")
			.register(registry);
		this.failures = Counter.builder(RELOADS)
			.description("Reloads of the route files")
			.tag("result", "failure")
			.register(registry);
		Gauge.builder(FAILING, this.failing, AtomicInteger::get)
			.description("1 while the route files are rejected and older routes stay in force")
			.register(registry);
	}

	@Override
	public void reloaded(Optional<ReloadError> error) {
		(error.isPresent() ? this.failures : this.successes).increment();
		this.failing.set(error.isPresent() ? 1 : 0);
	}

	@Override
	public String toString() {
		return "ReloadMetrics[" + RELOADS + ", " + FAILING + "]";
	}

}
