package dev.strangler.gateway.observe;

import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;

import org.springframework.lang.Nullable;

/**
 * The trace of a request that is not sampled, which therefore has no server observation
 * and no span ({@link UnsampledServerRequests}): the trace id it belongs to (its
 * caller's, or a new one), the id the gateway's part of it has, and the caller's span id.
 * The access line carries these ids and the backends get them in {@code traceparent},
 * marked not sampled, exactly as they got those of the unsampled span before.
 * <p>
 * Kept in the exchange's attributes; a sampled request has none and its ids are its
 * server span's.
 */
public final class RequestTrace {

	/** The exchange attribute. */
	public static final String ATTRIBUTE = RequestTrace.class.getName();

	private final String traceId;

	private final String spanId;

	@Nullable
	private final String parentId;

	private final Tracer tracer;

	@Nullable
	private TraceContext context;

	RequestTrace(String traceId, String spanId, @Nullable String parentId, Tracer tracer) {
		this.traceId = traceId;
		this.spanId = spanId;
		this.parentId = parentId;
		this.tracer = tracer;
	}

	/**
	 * The trace of an unsampled request.
	 * @param attributes the exchange's attributes
	 * @return the trace, or {@code null} for a request that is sampled, or when tracing
	 * is off
	 */
	@Nullable
	public static RequestTrace of(Map<String, Object> attributes) {
		return (RequestTrace) attributes.get(ATTRIBUTE);
	}

	/**
	 * The trace of an unsampled request, from the context its observation would have had,
	 * where {@link UnsampledServerRequests} keeps it until
	 * {@link UnsampledServerRequestsFilter} puts it into the exchange's attributes (the
	 * context's view of them is read-only).
	 * @param context the request's observation context
	 * @return the trace, or {@code null} for a request that is sampled, or when tracing
	 * is off
	 */
	@Nullable
	static RequestTrace of(Observation.Context context) {
		return context.get(RequestTrace.class);
	}

	/**
	 * The trace id: the caller's, or a new one.
	 * @return 32 hexadecimal digits
	 */
	public String traceId() {
		return this.traceId;
	}

	/**
	 * The id of the gateway's part of the trace, the parent of what the backends do.
	 * @return 16 hexadecimal digits
	 */
	public String spanId() {
		return this.spanId;
	}

	/**
	 * The trace context, marked not sampled, for a propagator to write into a request
	 * (built on first use: the W3C header is written without it).
	 * @return the context
	 */
	public TraceContext context() {
		TraceContext built = this.context;
		if (built == null) {
			built = this.tracer.traceContextBuilder()
				.traceId(this.traceId)
				.spanId(this.spanId)
				.parentId(this.parentId)
				.sampled(false)
				.build();
			this.context = built;
		}
		return built;
	}

	@Override
	public String toString() {
		return "RequestTrace[" + this.traceId + "-" + this.spanId + ", not sampled]";
	}

}
