package dev.strangler.gateway.observe;

import java.util.Collection;
import java.util.List;

import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;

import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;

/**
 * Decides whether a request's trace is sampled before any observation of it exists, the
 * way the tracer would decide for its server span: the caller's trace context is read
 * from the headers by the configured propagator, and the configured sampler is asked, on
 * the caller's trace id or on a new one. With Spring Boot's sampler (parent based, then
 * the trace-id ratio of {@code management.tracing.sampling.probability}) the answer is
 * the tracer's: a caller's sampling flag is followed, and a new trace is sampled by its
 * id. A new trace that is sampled has its id pinned ({@link PinnedTraceIds}) so that the
 * tracer starts the span on that very id and comes to the same answer.
 */
final class TraceDecider {

	private static final TextMapGetter<HttpHeaders> HEADERS = new TextMapGetter<>() {

		@Override
		public Iterable<String> keys(HttpHeaders carrier) {
			return carrier.keySet();
		}

		@Override
		@Nullable
		public String get(@Nullable HttpHeaders carrier, String key) {
			return (carrier != null) ? carrier.getFirst(key) : null;
		}

	};

	private final Sampler sampler;

	private final TextMapPropagator propagator;

	private final String[] fields;

	private final PinnedTraceIds ids;

	private final Tracer tracer;

	/**
	 * Creates the decider.
	 * @param sampler the tracer's sampler
	 * @param propagator the tracer's propagator
	 * @param ids the tracer's id generator
	 * @param tracer builds the trace context of an unsampled request when a propagator
	 * needs one
	 */
	TraceDecider(Sampler sampler, TextMapPropagator propagator, PinnedTraceIds ids, Tracer tracer) {
		this.sampler = sampler;
		this.propagator = propagator;
		Collection<String> fields = propagator.fields();
		this.fields = fields.toArray(String[]::new);
		this.ids = ids;
		this.tracer = tracer;
	}

	/**
	 * Decides on a request.
	 * @param headers the request's headers
	 * @param spanName the name its server span would have
	 * @return {@code null} when it is sampled (a new trace's id is then pinned for the
	 * tracer); otherwise its unsampled trace
	 */
	@Nullable
	RequestTrace decide(HttpHeaders headers, String spanName) {
		Context parent = carriesTraceContext(headers) ? this.propagator.extract(Context.root(), headers, HEADERS)
				: Context.root();
		SpanContext caller = Span.fromContext(parent).getSpanContext();
		boolean newTrace = !caller.isValid();
		String traceId = newTrace ? this.ids.newTraceId() : caller.getTraceId();
		SamplingDecision decision = this.sampler
			.shouldSample(parent, traceId, spanName, SpanKind.SERVER, Attributes.empty(), List.of())
			.getDecision();
		if (decision != SamplingDecision.DROP) {
			if (newTrace) {
				this.ids.pin(traceId);
			}
			return null;
		}
		return new RequestTrace(traceId, this.ids.newSpanId(), newTrace ? null : caller.getSpanId(), this.tracer);
	}

	/** Most requests carry no trace context: no extraction for them. */
	private boolean carriesTraceContext(HttpHeaders headers) {
		for (String field : this.fields) {
			if (headers.containsKey(field)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "TraceDecider[" + this.sampler.getDescription() + "]";
	}

}
