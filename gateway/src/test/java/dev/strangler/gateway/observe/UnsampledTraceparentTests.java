package dev.strangler.gateway.observe;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTraceContext;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnsampledTraceparentTests {

	private static final String TRACE_ID = "7bf92f3577b34da6a3ce929d0e0e4739";

	private static final String SPAN_ID = "00f067aa0ba902b7";

	@Test
	void theTraceparentWrittenDirectlyIsTheOneTheW3cPropagatorWrites() {
		Propagator w3c = propagator(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
		TraceContext unsampled = unsampled(TraceState.getDefault());
		Map<String, String> written = new HashMap<>();
		w3c.inject(unsampled, written, Map::put);

		assertThat(UnsampledTraceparent.traceparent(unsampled.traceId(), unsampled.spanId()))
			.isEqualTo(written.get("traceparent"))
			.isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-00");
		assertThat(new UnsampledTraceparent(w3c)).hasToString("UnsampledTraceparent[traceparent written directly]");
	}

	@Test
	void anyOtherPropagationStillGoesThroughThePropagator() {
		Propagator b3 = propagator(B3Propagator.injectingMultiHeaders());

		assertThat(new UnsampledTraceparent(b3).toString()).contains("X-B3-TraceId");
	}

	private static TraceContext unsampled(TraceState state) {
		return OtelTraceContext.fromOtel(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getDefault(), state));
	}

	private static Propagator propagator(TextMapPropagator... propagators) {
		ContextPropagators context = ContextPropagators.create(TextMapPropagator.composite(propagators));
		return new OtelPropagator(context, SdkTracerProvider.builder().build().get("test"));
	}

}
