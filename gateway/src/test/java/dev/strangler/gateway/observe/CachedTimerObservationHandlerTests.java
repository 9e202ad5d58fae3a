package dev.strangler.gateway.observe;

import java.util.List;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class CachedTimerObservationHandlerTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CachedTimerObservationHandler handler = new CachedTimerObservationHandler(this.registry, false, null);

	@Test
	void recordsTheSameMetersAsMicrometersOwnHandler() {
		SimpleMeterRegistry micrometers = new SimpleMeterRegistry();
		ObservationRegistry ours = registryWith(this.handler);
		ObservationRegistry theirs = registryWith(new DefaultMeterObservationHandler(micrometers,
				DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER));
		for (ObservationRegistry observations : List.of(ours, theirs)) {
			observe(observations, "GET", null);
			observe(observations, "GET", null);
			observe(observations, "POST", new IllegalStateException("boom"));
			Observation.createNotStarted("demo", observations)
				.lowCardinalityKeyValue("method", "GET")
				.event(Observation.Event.of("retried"));
		}
		assertThat(describe(this.registry)).isEqualTo(describe(micrometers))
			.contains("demo[error=none, method=GET]=2", "demo[error=IllegalStateException, method=POST]=1",
					"demo.retried[method=GET]=1");
	}

	@Test
	void looksATimerUpOncePerTagSet() {
		ObservationRegistry observations = registryWith(this.handler);
		observe(observations, "GET", null);
		Timer first = this.registry.get("demo").tag("method", "GET").timer();
		observe(observations, "GET", null);
		observe(observations, "PUT", null);
		assertThat(this.handler.cachedTimers()).isEqualTo(2);
		assertThat(this.registry.get("demo").tag("method", "GET").timer()).isSameAs(first);
		assertThat(first.count()).isEqualTo(2);
	}

	@Test
	void registersATimerAgainAfterTheRegistryRemovedIt() {
		ObservationRegistry observations = registryWith(this.handler);
		observe(observations, "GET", null);
		this.registry.remove(this.registry.get("demo").timer());
		assertThat(this.handler.cachedTimers()).isZero();
		observe(observations, "GET", null);
		assertThat(this.registry.get("demo").timer().count()).isEqualTo(1);
	}

	@Test
	void createsTheLongTaskTimerWhenAsked() {
		CachedTimerObservationHandler withActive = new CachedTimerObservationHandler(this.registry, true, null);
		Observation observation = Observation.start("demo", registryWith(withActive));
		assertThat(this.registry.get("demo.active").longTaskTimer().activeTasks()).isEqualTo(1);
		observation.stop();
		assertThat(this.registry.get("demo.active").longTaskTimer().activeTasks()).isZero();
		assertThat(this.registry.get("demo").timer().count()).isEqualTo(1);
	}

	@Test
	void opensTheSpanScopeForSampledSpansOnly() {
		Tracer tracer = mock(Tracer.class);
		CurrentTraceContext current = mock(CurrentTraceContext.class);
		when(tracer.currentTraceContext()).thenReturn(current);
		CachedTimerObservationHandler tracing = new CachedTimerObservationHandler(this.registry, false, tracer);
		Span unsampled = span(false);
		stopWithSpan(tracing, unsampled);
		verify(current, never()).maybeScope(any());
		Span sampled = span(true);
		stopWithSpan(tracing, sampled);
		verify(current).maybeScope(sampled.context());
		assertThat(this.registry.get("demo").timer().count()).isEqualTo(2);
	}

	private static void stopWithSpan(CachedTimerObservationHandler handler, Span span) {
		Observation.Context context = new Observation.Context();
		context.setName("demo");
		TracingObservationHandler.TracingContext tracing = new TracingObservationHandler.TracingContext();
		tracing.setSpan(span);
		context.put(TracingObservationHandler.TracingContext.class, tracing);
		handler.onStart(context);
		handler.onStop(context);
	}

	private static Span span(boolean sampled) {
		Span span = mock(Span.class);
		TraceContext context = mock(TraceContext.class);
		when(context.sampled()).thenReturn(sampled);
		when(span.context()).thenReturn(context);
		return span;
	}

	private static ObservationRegistry registryWith(ObservationHandler<Observation.Context> handler) {
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(handler);
		return observations;
	}

	private static void observe(ObservationRegistry observations, String method, Throwable error) {
		Observation observation = Observation.start("demo", observations).lowCardinalityKeyValue("method", method);
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	private static String describe(MeterRegistry registry) {
		return registry.getMeters()
			.stream()
			.map((meter) -> meter.getId().getName()
					+ meter.getId().getTags().stream().map((tag) -> tag.getKey() + "=" + tag.getValue()).toList() + "="
					+ count(meter))
			.sorted()
			.collect(Collectors.joining("\n"));
	}

	private static long count(Meter meter) {
		return (meter instanceof Timer timer) ? timer.count() : (long) meter.measure().iterator().next().getValue();
	}

}
