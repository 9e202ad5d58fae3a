package dev.strangler.gateway.observe;

import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;

import org.springframework.boot.actuate.autoconfigure.tracing.SdkTracerProviderBuilderCustomizer;

/**
 * OpenTelemetry's random ids, except that the trace id the gateway drew for a request to
 * decide its sampling ({@link TraceDecider}) is the one the tracer gives that request's
 * server span, started next on the same thread. The tracer's sampler then sees the very
 * id the decision was made on and, being deterministic on it (trace-id ratio, parent
 * based), samples the span: one draw per request, so the configured probability is the
 * probability, not its square.
 * <p>
 * A pinned id is handed out once; if the span it was meant for never starts, the next
 * root span on that thread gets it, which is harmless: it is a random id like any other.
 */
final class PinnedTraceIds implements IdGenerator, SdkTracerProviderBuilderCustomizer {

	private final IdGenerator random = IdGenerator.random();

	private final ThreadLocal<String> pinned = new ThreadLocal<>();

	private volatile boolean installed;

	@Override
	public void customize(SdkTracerProviderBuilder builder) {
		builder.setIdGenerator(this);
		this.installed = true;
	}

	/**
	 * Whether Spring Boot's tracer provider was built with these ids: without them (a
	 * tracer provider of the application's own), the gateway cannot pin a trace id.
	 * @return {@code true} once installed
	 */
	boolean installed() {
		return this.installed;
	}

	/**
	 * A new random trace id.
	 * @return 32 hexadecimal digits
	 */
	String newTraceId() {
		return this.random.generateTraceId();
	}

	/**
	 * A new random span id.
	 * @return 16 hexadecimal digits
	 */
	String newSpanId() {
		return this.random.generateSpanId();
	}

	/**
	 * Makes a trace id the next one the tracer generates on this thread.
	 * @param traceId the id
	 */
	void pin(String traceId) {
		this.pinned.set(traceId);
	}

	@Override
	public String generateTraceId() {
		String traceId = this.pinned.get();
		if (traceId == null) {
			return this.random.generateTraceId();
		}
		this.pinned.set(null);
		return traceId;
	}

	@Override
	public String generateSpanId() {
		return this.random.generateSpanId();
	}

	@Override
	public String toString() {
		return "PinnedTraceIds[" + (this.installed ? "installed" : "not installed") + "]";
	}

}
