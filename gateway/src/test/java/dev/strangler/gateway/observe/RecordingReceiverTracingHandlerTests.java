package dev.strangler.gateway.observe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingReceiverTracingHandlerTests {

	private final List<SpanData> exported = new CopyOnWriteArrayList<>();

	@Test
	void aSampledServerSpanIsTaggedWithTheObservationsKeyValuesAndNamed() {
		CountingContext context = observe(Sampler.alwaysOn());

		assertThat(context.keyValueReads.get()).isPositive();
		assertThat(this.exported).singleElement().satisfies((span) -> {
			assertThat(span.getName()).isEqualTo("http get");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("strangler.route"))).isEqualTo("catalog");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("http.url"))).isEqualTo("/api/products/42");
		});
	}

	@Test
	void anUnsampledServerSpanIsStartedAndEndedButItsKeyValuesAreNotGathered() {
		CountingContext context = observe(Sampler.alwaysOff());

		assertThat(context.keyValueReads.get()).isZero();
		assertThat(SampledRequests.serverSpan(context)).isNotNull()
			.satisfies((span) -> assertThat(span.context().sampled()).isFalse());
		assertThat(this.exported).isEmpty();
	}

	@Test
	void replacesSpringBootsHandlerAndNothingElse() {
		io.opentelemetry.api.trace.Tracer otel = otelTracer(Sampler.alwaysOn());
		Tracer tracer = tracer(otel);
		Propagator propagator = propagator(otel);
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("propagator", propagator));
		RecordingReceiverTracingHandler.Replacement replacement = new RecordingReceiverTracingHandler.Replacement(
				beans.getBeanProvider(Propagator.class));
		var springBoots = new PropagatingReceiverTracingObservationHandler<>(tracer, propagator);
		var ownSubclass = new PropagatingReceiverTracingObservationHandler<>(tracer, propagator) {
		};
		Object other = new Object();

		Object replaced = replacement.postProcessBeforeInitialization(springBoots, "propagatingReceiver");
		assertThat(replaced).isInstanceOf(RecordingReceiverTracingHandler.class);
		assertThat(((RecordingReceiverTracingHandler) replaced).getTracer()).isSameAs(tracer);
		assertThat(replacement.postProcessBeforeInitialization(ownSubclass, "own")).isSameAs(ownSubclass);
		assertThat(replacement.postProcessBeforeInitialization(other, "other")).isSameAs(other);
	}

	private CountingContext observe(Sampler sampler) {
		io.opentelemetry.api.trace.Tracer otel = otelTracer(sampler);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new RecordingReceiverTracingHandler(tracer(otel), propagator(otel)));
		CountingContext context = new CountingContext();
		context.setCarrier(Map.of());
		Observation.createNotStarted("http.server.requests", () -> context, registry)
			.contextualName("http get")
			.lowCardinalityKeyValue("strangler.route", "catalog")
			.highCardinalityKeyValue("http.url", "/api/products/42")
			.start()
			.stop();
		return context;
	}

	/**
	 * OpenTelemetry's tracer, sampling as told, its finished spans exported to a list.
	 */
	private io.opentelemetry.api.trace.Tracer otelTracer(Sampler sampler) {
		return SdkTracerProvider.builder()
			.setSampler(sampler)
			.addSpanProcessor(SimpleSpanProcessor.create(new ListSpanExporter(this.exported)))
			.build()
			.get("test");
	}

	private static Tracer tracer(io.opentelemetry.api.trace.Tracer otel) {
		return new OtelTracer(otel, new OtelCurrentTraceContext(), (event) -> {
		});
	}

	/**
	 * W3C propagation; the spans it starts for received requests come from {@code otel}.
	 */
	private static Propagator propagator(io.opentelemetry.api.trace.Tracer otel) {
		return new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
	}

	/** A server observation's context that counts how often its key values are read. */
	private static final class CountingContext extends ReceiverContext<Map<String, String>> {

		final AtomicInteger keyValueReads = new AtomicInteger();

		CountingContext() {
			super((carrier, key) -> carrier.get(key));
		}

		@Override
		public KeyValues getAllKeyValues() {
			this.keyValueReads.incrementAndGet();
			return super.getAllKeyValues();
		}

	}

}
