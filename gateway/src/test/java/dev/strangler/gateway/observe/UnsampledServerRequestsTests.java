package dev.strangler.gateway.observe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
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
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server observation only for sampled requests, driven the way WebFlux drives it (the
 * observation created from the registry with Spring's documentation and the gateway's
 * convention, started, stopped) against a real OpenTelemetry tracer: the configured
 * probability stays the probability, a caller's flag is followed, and every request is
 * timed with the same meter either way.
 */
class UnsampledServerRequestsTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

	private static final ServerRequestObservationConvention CONVENTION = new PrecomputedServerRequestConvention(
			"http.server.requests");

	private final List<SpanData> exported = new CopyOnWriteArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final PinnedTraceIds ids = new PinnedTraceIds();

	@Test
	void theConfiguredProbabilityIsTheShareOfTracesSampledNotItsSquare() {
		Gateway gateway = new Gateway(Sampler.parentBased(Sampler.traceIdRatioBased(0.5)));
		int requests = 400;
		int observed = 0;
		for (int i = 0; i < requests; i++) {
			if (gateway.request(Map.of()).observed()) {
				observed++;
			}
		}

		// every request observed is one the tracer samples: one draw per request (were
		// the
		// tracer to draw again, about half of them would not be)
		assertThat(this.exported).hasSize(observed);
		// 200 expected; 8 standard deviations either way
		assertThat(observed).isBetween(120, 280);
		assertThat(timer().count()).as("every request timed").isEqualTo(requests);
	}

	@Test
	void aCallersSampledTraceIsObservedOnItsTraceId() {
		Gateway gateway = new Gateway(Sampler.parentBased(Sampler.alwaysOff()));

		Served served = gateway.request(Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01"));

		assertThat(served.observed()).isTrue();
		assertThat(RequestTrace.of(served.context())).isNull();
		assertThat(this.exported).singleElement().satisfies((span) -> {
			assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
			assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN_ID);
		});
	}

	@Test
	void aCallersUnsampledTraceGetsNoObservationButKeepsItsIds() {
		Gateway gateway = new Gateway(Sampler.parentBased(Sampler.alwaysOn()));

		Served served = gateway.request(Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-00"));

		assertThat(served.observed()).isFalse();
		RequestTrace trace = RequestTrace.of(served.context());
		assertThat(trace).isNotNull();
		assertThat(trace.traceId()).isEqualTo(TRACE_ID);
		assertThat(trace.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(CALLER_SPAN_ID);
		assertThat(trace.context().parentId()).isEqualTo(CALLER_SPAN_ID);
		assertThat(trace.context().sampled()).isFalse();
		assertThat(this.exported).isEmpty();
		assertThat(timer().count()).isEqualTo(1);
	}

	@Test
	void aNewUnsampledTraceHasIdsOfItsOwn() {
		Gateway gateway = new Gateway(Sampler.parentBased(Sampler.alwaysOff()));

		RequestTrace first = RequestTrace.of(gateway.request(Map.of()).context());
		RequestTrace second = RequestTrace.of(gateway.request(Map.of()).context());

		assertThat(first.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(second.traceId());
		assertThat(first.spanId()).matches("[0-9a-f]{16}");
		assertThat(first.context().parentId()).isNull();
	}

	@Test
	void anUnsampledRequestIsTimedWithTheSameMeterAsAnObservedOne() {
		Set<Meter.Id> observed = timersAfterOneRequest(Sampler.alwaysOn(), true);
		Set<Meter.Id> unobserved = timersAfterOneRequest(Sampler.alwaysOff(), false);

		assertThat(unobserved).isEqualTo(observed).hasSize(1);
		assertThat(observed.iterator().next().getTags()).extracting("key")
			.contains("method", "status", "outcome", "uri", "exception", "error");
	}

	@Test
	void aFilterThatAddsATagAddsItToTheUnsampledRequestsTimerToo() {
		ObservationFilter region = (context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu-west"));
		Set<Meter.Id> observed = timersAfterOneRequest(Sampler.alwaysOn(), true, region);
		Set<Meter.Id> unobserved = timersAfterOneRequest(Sampler.alwaysOff(), false, region);

		assertThat(unobserved).isEqualTo(observed)
			.singleElement()
			.satisfies((id) -> assertThat(id.getTag("region")).isEqualTo("eu-west"));
	}

	@Test
	void onlyFiltersThatMayAddTagsAreAppliedToTheUnsampled() {
		ObservationFilter own = (context) -> context;
		RouteObservationFilter route = new RouteObservationFilter();

		assertThat(UnsampledServerRequests.tagging(List.of(route, own), Map.of())).containsExactly(own);
	}

	@Test
	void withoutADeciderEveryRequestIsObserved() {
		Gateway gateway = new Gateway(Sampler.alwaysOff(), () -> null);

		Served served = gateway.request(Map.of());

		assertThat(served.observed()).isTrue();
		assertThat(RequestTrace.of(served.context())).isNull();
		assertThat(gateway.unsampled).hasToString("UnsampledServerRequests[every request observed]");
	}

	@Test
	void aPinnedTraceIdIsHandedOutOnce() {
		this.ids.pin(TRACE_ID);

		assertThat(this.ids.generateTraceId()).isEqualTo(TRACE_ID);
		assertThat(this.ids.generateTraceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE_ID);
	}

	private Set<Meter.Id> timersAfterOneRequest(Sampler sampler, boolean expectObserved, ObservationFilter... filters) {
		SimpleMeterRegistry own = new SimpleMeterRegistry();
		Gateway gateway = new Gateway(sampler, own, null, List.of(filters));
		assertThat(gateway.request(Map.of()).observed()).isEqualTo(expectObserved);
		return own.getMeters().stream().map(Meter::getId).collect(Collectors.toSet());
	}

	private Timer timer() {
		return this.meters.get("http.server.requests").timer();
	}

	/** What one request left: its context, and whether it was observed. */
	private record Served(ServerRequestObservationContext context, boolean observed) {
	}

	/**
	 * The gateway's observation set-up in small: the meter handler, the server span
	 * handler, and the predicate registered last; OpenTelemetry with the pinned ids and
	 * W3C propagation.
	 */
	private final class Gateway {

		private final ObservationRegistry registry = ObservationRegistry.create();

		private final UnsampledServerRequests unsampled;

		Gateway(Sampler sampler) {
			this(sampler, UnsampledServerRequestsTests.this.meters, null, List.of());
		}

		Gateway(Sampler sampler, Supplier<TraceDecider> decider) {
			this(sampler, UnsampledServerRequestsTests.this.meters, decider, List.of());
		}

		private Gateway(Sampler sampler, SimpleMeterRegistry meters, Supplier<TraceDecider> decider,
				List<ObservationFilter> filters) {
			SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
				.setSampler(sampler)
				.addSpanProcessor(
						SimpleSpanProcessor.create(new ListSpanExporter(UnsampledServerRequestsTests.this.exported)));
			UnsampledServerRequestsTests.this.ids.customize(builder);
			io.opentelemetry.api.trace.Tracer otel = builder.build().get("test");
			Tracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), (event) -> {
			});
			TextMapPropagator w3c = W3CTraceContextPropagator.getInstance();
			CachedTimerObservationHandler timers = new CachedTimerObservationHandler(meters, false, tracer);
			this.registry.observationConfig()
				.observationHandler(timers)
				.observationHandler(new RecordingReceiverTracingHandler(tracer,
						new OtelPropagator(ContextPropagators.create(w3c), otel)));
			Supplier<TraceDecider> decides = (decider != null) ? decider
					: () -> new TraceDecider(sampler, w3c, UnsampledServerRequestsTests.this.ids, tracer);
			this.unsampled = new UnsampledServerRequests(decides, CONVENTION, timers, () -> filters);
			this.registry.observationConfig().observationPredicate(this.unsampled::observes);
			filters.forEach(this.registry.observationConfig()::observationFilter);
		}

		/** A request as WebFlux's HttpWebHandlerAdapter observes it, answered 200. */
		Served request(Map<String, String> headers) {
			MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/products/1");
			headers.forEach(request::header);
			MockServerHttpResponse response = new MockServerHttpResponse();
			response.setStatusCode(HttpStatus.OK);
			Map<String, Object> attributes = new HashMap<>();
			ServerRequestObservationContext context = new ServerRequestObservationContext(request.build(), response,
					attributes);
			Observation observation = ServerHttpObservationDocumentation.HTTP_REACTIVE_SERVER_REQUESTS
				.observation(CONVENTION, new DefaultServerRequestObservationConvention(), () -> context, this.registry)
				.start();
			if (observation.isNoop()) {
				this.unsampled.stop(context);
			}
			else {
				observation.stop();
			}
			return new Served(context, !observation.isNoop());
		}

	}

}
