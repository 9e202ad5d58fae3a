package dev.strangler.gateway.observe;

import java.util.concurrent.TimeUnit;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Stage;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RequestMetrics metrics = new RequestMetrics(this.registry);

	@Test
	void aRouteTimerIsRegisteredOnceAndTheSameInstanceIsReusedForLaterRequests() {
		int[] registrations = new int[1];
		this.registry.config().meterFilter(new MeterFilter() {
			@Override
			public Meter.Id map(Meter.Id id) {
				registrations[0]++;
				return id;
			}
		});

		Timer first = this.metrics.timer(outcome("catalog", Stage.LEGACY, Backend.LEGACY, 200));
		this.metrics.completed(outcome("catalog", Stage.LEGACY, Backend.LEGACY, 200));
		this.metrics.completed(outcome("catalog", Stage.LEGACY, Backend.LEGACY, 200));

		assertThat(this.metrics.timer(outcome("catalog", Stage.LEGACY, Backend.LEGACY, 200))).isSameAs(first);
		assertThat(first.count()).isEqualTo(2);
		assertThat(first.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(2 * 3_000_000);
		assertThat(registrations[0]).as("registry lookups").isEqualTo(1);
	}

	@Test
	void everyRouteBackendStageAndStatusHasItsOwnTimerWithTheDesignTags() {
		this.metrics.completed(outcome("catalog", Stage.CANARY, Backend.LEGACY, 200));
		this.metrics.completed(outcome("catalog", Stage.CANARY, Backend.TARGET, 200));
		this.metrics.completed(outcome("catalog", Stage.CANARY, Backend.TARGET, 502));
		this.metrics.completed(outcome("orders", Stage.MIGRATED, Backend.TARGET, 200));
		this.metrics.completed(outcome(RequestOutcome.UNROUTED, null, Backend.LEGACY, RequestOutcome.CANCELLED));
		this.metrics.completed(outcome("orders", Stage.MIGRATED, Backend.TARGET, 999));

		assertThat(this.registry.find(RequestMetrics.NAME).timers()).hasSize(6);
		assertThat(this.registry.get(RequestMetrics.NAME)
			.tags("route", "catalog", "backend", "target", "stage", "canary", "status", "502")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get(RequestMetrics.NAME)
			.tags("route", "unrouted", "backend", "legacy", "stage", "none", "status", "cancelled")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get(RequestMetrics.NAME)
			.tags("route", "orders", "backend", "target", "stage", "migrated", "status", "999")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void aStageChangedAtRuntimeGetsItsOwnTimer() {
		Timer legacy = this.metrics.timer(outcome("catalog", Stage.LEGACY, Backend.LEGACY, 200));
		Timer shadow = this.metrics.timer(outcome("catalog", Stage.SHADOW, Backend.LEGACY, 200));

		assertThat(shadow).isNotSameAs(legacy);
		assertThat(shadow.getId().getTag("stage")).isEqualTo("shadow");
	}

	static RequestOutcome outcome(String route, Stage stage, Backend backend, int status) {
		return new RequestOutcome("GET", "/api/products/1", route, stage, backend, status, 3_000_000, null, null, null);
	}

}
