package dev.strangler.gateway.observe;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTraceContext;
import io.micrometer.tracing.otel.propagation.BaggageTextMapPropagator;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.http.HttpHeaders;

/**
 * Cost of passing an unsampled request's trace context on to the backend: the
 * {@code traceparent} written directly ({@link UnsampledTraceparent} under W3C
 * propagation) against the propagator Spring Boot assembles for W3C propagation (trace
 * context, W3C baggage, and Micrometer's baggage propagator, which collects the current
 * baggage on every call). Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="UnsampledTraceparent -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnsampledTraceparentBenchmark {

	private final TraceContext unsampled = OtelTraceContext.fromOtel(SpanContext.create(
			"7bf92f3577b34da6a3ce929d0e0e4739", "00f067aa0ba902b7", TraceFlags.getDefault(), TraceState.getDefault()));

	private final Propagator propagator = springBootW3c();

	@Benchmark
	public HttpHeaders direct() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(UnsampledTraceparent.TRACEPARENT, UnsampledTraceparent.traceparent(this.unsampled.traceId(), this.unsampled.spanId()));
		return headers;
	}

	@Benchmark
	public HttpHeaders propagator() {
		HttpHeaders headers = new HttpHeaders();
		this.propagator.inject(this.unsampled, headers, HttpHeaders::set);
		return headers;
	}

	private static Propagator springBootW3c() {
		OtelCurrentTraceContext current = new OtelCurrentTraceContext();
		OtelBaggageManager baggage = new OtelBaggageManager(current, List.of(), List.of());
		TextMapPropagator composite = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
				W3CBaggagePropagator.getInstance(), new BaggageTextMapPropagator(List.of(), baggage));
		return new OtelPropagator(ContextPropagators.create(composite),
				SdkTracerProvider.builder().build().get("benchmark"));
	}

}
