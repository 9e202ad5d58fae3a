package dev.strangler.gateway.observe;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import org.slf4j.MDC;

import org.springframework.lang.Nullable;

/**
 * Puts a request's trace and span ids into the MDC while its access line (or another line
 * about the request, written outside its trace scope) is written, under the keys
 * Micrometer Tracing's {@code Slf4JEventListener} uses ({@code traceId}, {@code spanId}),
 * so the line carries them in every log format.
 * <p>
 * Why not put the request's observation back in scope for the line: opening that scope
 * runs every tracing handler, OpenTelemetry's context storage and its event publisher,
 * all for two strings, once per request. The scope is restored only when it would put
 * more into the MDC than the two ids: baggage fields correlated with logs
 * ({@code management.tracing.baggage.correlation.fields}).
 *
 * <pre>{@code
 * try (AccessLineMdc.Ids ids = AccessLineMdc.put(span)) {
 *     accessLog.completed(outcome);
 * }
 * }</pre>
 */
public final class AccessLineMdc {

	/** Micrometer Tracing's MDC key of the trace id. */
	static final String TRACE_ID = "traceId";

	/** Micrometer Tracing's MDC key of the span id. */
	static final String SPAN_ID = "spanId";

	private static final Ids NONE = () -> {
	};

	private AccessLineMdc() {
	}

	/**
	 * Puts the ids of a span into the MDC until the returned scope is closed; what the
	 * MDC held under those keys before is put back then.
	 * @param span the request's server span, {@code null} when tracing is off
	 * @return the scope to close once the line is written
	 */
	static Ids put(@Nullable Span span) {
		TraceContext context = (span != null) ? span.context() : null;
		return (context != null) ? put(context.traceId(), context.spanId()) : NONE;
	}

	/**
	 * Puts the ids of a request into the MDC until the returned scope is closed: those of
	 * its unsampled trace, else those of its server span.
	 * @param unsampled the request's trace when it is not sampled
	 * @param span its server span otherwise, {@code null} when tracing is off
	 * @return the scope to close once the line is written
	 */
	static Ids put(@Nullable RequestTrace unsampled, @Nullable Span span) {
		return (unsampled != null) ? put(unsampled.traceId(), unsampled.spanId()) : put(span);
	}

	/**
	 * Puts a trace and a span id into the MDC until the returned scope is closed; what
	 * the MDC held under those keys before is put back then.
	 * @param traceId the trace id, {@code null} or empty when tracing is off
	 * @param spanId the span id
	 * @return the scope to close once the line is written
	 */
	public static Ids put(@Nullable String traceId, @Nullable String spanId) {
		if (traceId == null || traceId.isEmpty()) {
			return NONE;
		}
		String previousTrace = MDC.get(TRACE_ID);
		String previousSpan = MDC.get(SPAN_ID);
		MDC.put(TRACE_ID, traceId);
		MDC.put(SPAN_ID, spanId);
		return () -> {
			restore(TRACE_ID, previousTrace);
			restore(SPAN_ID, previousSpan);
		};
	}

	private static void restore(String key, @Nullable String previous) {
		if (previous != null) {
			MDC.put(key, previous);
		}
		else {
			MDC.remove(key);
		}
	}

	/**
	 * The ids put for one line.
	 */
	@FunctionalInterface
	public interface Ids extends AutoCloseable {

		@Override
		void close();

	}

}
