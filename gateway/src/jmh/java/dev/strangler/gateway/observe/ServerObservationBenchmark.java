package dev.strangler.gateway.observe;

import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

/**
 * Cost of the server side of observing one unsampled request, as WebFlux drives it (the
 * observation made from the registry with Spring's documentation and the gateway's
 * convention, started, stopped), with the gateway's meter handler and server-span handler
 * and a real OpenTelemetry tracer that samples nothing: the observation with its unsampled
 * span (before) against no observation, the trace decided by {@link TraceDecider} and the
 * timer recorded by {@link UnsampledServerRequests} (after). Both record the same
 * {@code http.server.requests} timer. Request and response are made once; the exchange's
 * own cost is not in either. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="ServerObservation -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServerObservationBenchmark {

	private static final ServerRequestObservationConvention CONVENTION = new PrecomputedServerRequestConvention(
			"http.server.requests");

	private static final ServerRequestObservationConvention DEFAULT = new DefaultServerRequestObservationConvention();

	private final MockServerHttpRequest request = MockServerHttpRequest.get("/api/products/1").build();

	private final MockServerHttpResponse response = response();

	private final Setup observed = new Setup(false);

	private final Setup decided = new Setup(true);

	@Benchmark
	public Object observationWithUnsampledSpan() {
		ServerRequestObservationContext context = context();
		ServerHttpObservationDocumentation.HTTP_REACTIVE_SERVER_REQUESTS
			.observation(CONVENTION, DEFAULT, () -> context, this.observed.registry)
			.start()
			.stop();
		return context;
	}

	@Benchmark
	public Object noObservationTimedDirectly() {
		ServerRequestObservationContext context = context();
		Observation observation = ServerHttpObservationDocumentation.HTTP_REACTIVE_SERVER_REQUESTS
			.observation(CONVENTION, DEFAULT, () -> context, this.decided.registry)
			.start();
		if (observation.isNoop()) {
			this.decided.unsampled.stop(context);
		}
		else {
			observation.stop();
		}
		return context;
	}

	private ServerRequestObservationContext context() {
		return new ServerRequestObservationContext(this.request, this.response, new HashMap<>());
	}

	private static MockServerHttpResponse response() {
		MockServerHttpResponse response = new MockServerHttpResponse();
		response.setStatusCode(HttpStatus.OK);
		return response;
	}

	/** The gateway's handlers on a tracer that samples nothing; the predicate or not. */
	private static final class Setup {

		final ObservationRegistry registry = ObservationRegistry.create();

		final UnsampledServerRequests unsampled;

		Setup(boolean decides) {
			PinnedTraceIds ids = new PinnedTraceIds();
			Sampler sampler = Sampler.parentBased(Sampler.alwaysOff());
			SdkTracerProviderBuilder builder = SdkTracerProvider.builder().setSampler(sampler);
			ids.customize(builder);
			io.opentelemetry.api.trace.Tracer otel = builder.build().get("benchmark");
			Tracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), (event) -> {
			});
			TextMapPropagator w3c = W3CTraceContextPropagator.getInstance();
			CachedTimerObservationHandler timers = new CachedTimerObservationHandler(new SimpleMeterRegistry(), false,
					tracer);
			this.registry.observationConfig()
				.observationHandler(timers)
				.observationHandler(new RecordingReceiverTracingHandler(tracer,
						new OtelPropagator(ContextPropagators.create(w3c), otel)));
			this.unsampled = new UnsampledServerRequests(() -> new TraceDecider(sampler, w3c, ids, tracer), CONVENTION,
					timers, List::of);
			if (decides) {
				this.registry.observationConfig().observationPredicate(this.unsampled::observes);
			}
		}

	}

}
