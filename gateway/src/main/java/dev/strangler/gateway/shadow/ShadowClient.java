package dev.strangler.gateway.shadow;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.strangler.gateway.shadow.Mirror.MirrorContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplySenderContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.propagation.Propagator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.lang.Nullable;

/**
 * Sends a mirrored request to a backend and keeps its answer, bounded in time and size,
 * with the raw Reactor Netty {@link HttpClient} of the shadow path (its own connections
 * and event loops, no client metrics, no WebClient): a mirror pays for the call and
 * nothing else.
 *
 * <ul>
 * <li>Every call carries {@code X-Strangler-Shadow: true}.</li>
 * <li>When the client's request is sampled for tracing, the call is an
 * {@link Observation} of its own ({@code strangler.shadow.mirror}, low-cardinality
 * {@code strangler.shadow=true}, {@code route}, {@code backend}): a client span, child of
 * the client request's, whose context goes out in {@code traceparent}; its timer is the
 * metric.</li>
 * <li>Otherwise no observation is made: the call is timed straight into the same
 * {@code strangler.shadow.mirror} timer, and the client request's (unsampled) trace
 * context is still passed on, so that the target's logs carry the trace id.</li>
 * </ul>
 */
final class ShadowClient {

	/** Name of the observation (and span, and timer) of one mirrored call. */
	static final String OBSERVATION = "strangler.shadow.mirror";

	private static final String NO_ERROR = "none";

	private final HttpClient httpClient;

	private final ObservationRegistry observations;

	private final MeterRegistry meters;

	@Nullable
	private final Propagator propagator;

	/**
	 * The timers of calls that did not fail, per route and backend, held not looked up.
	 */
	private final Map<String, Map<String, Timer>> timers = new ConcurrentHashMap<>();

	/**
	 * Creates the client.
	 * @param httpClient the shadow path's HTTP client
	 * @param observations the registry of the mirror observations
	 * @param meters where unobserved calls are timed
	 * @param propagator writes trace context into requests; {@code null} without tracing
	 */
	ShadowClient(HttpClient httpClient, ObservationRegistry observations, MeterRegistry meters,
			@Nullable Propagator propagator) {
		this.httpClient = httpClient;
		this.observations = observations;
		this.meters = meters;
		this.propagator = propagator;
	}

	/**
	 * Sends the request to a backend, marked {@code X-Strangler-Shadow: true}.
	 * @param context what is mirrored
	 * @param backend {@code target} or {@code legacy} (noise detection), for the
	 * observation and timer
	 * @param base the backend's base URL
	 * @param body the request body, {@code null} if none
	 * @param into where the answer's body is kept (bounded; a bigger one is reported
	 * truncated)
	 * @return the answer; an error if the backend failed or was too slow
	 */
	Mono<KeptResponse> send(MirrorContext context, String backend, URI base, @Nullable BoundedBytes body,
			BoundedBytes into) {
		return Mono.defer(() -> {
			Map<String, String> propagated = new HashMap<>(4);
			Span parentSpan = Mirror.span(context.parent());
			Mono<KeptResponse> call = call(context, base, body, into, propagated);
			if (parentSpan != null && Boolean.TRUE.equals(parentSpan.context().sampled())) {
				return observed(call, context, backend, propagated);
			}
			TraceContext unsampled = (parentSpan != null) ? parentSpan.context()
					: (context.unsampled() != null) ? context.unsampled().context() : null;
			if (unsampled != null && this.propagator != null) {
				this.propagator.inject(unsampled, propagated, Map::put);
			}
			return timed(call, context.route().id(), backend);
		});
	}

	private Mono<KeptResponse> call(MirrorContext context, URI base, @Nullable BoundedBytes body, BoundedBytes into,
			Map<String, String> propagated) {
		MirrorRequest request = context.request();
		List<String> compared = context.route().compare().headers();
		Duration timeout = context.route().shadow().timeout();
		return this.httpClient.request(HttpMethod.valueOf(request.method().name()))
			.uri(request.on(base))
			.send((out, outbound) -> {
				HttpHeaders headers = out.requestHeaders();
				request.headers().forEach((name, values) -> headers.add(name, values));
				propagated.forEach(headers::set);
				headers.set(MirrorRequest.SHADOW_HEADER, "true");
				if (body == null) {
					return outbound;
				}
				headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.size());
				return outbound.send(Mono.fromSupplier(body::retainedBody));
			})
			.response((response, content) -> read(response, content, into, compared))
			.single()
			.timeout(timeout);
	}

	private static Mono<KeptResponse> read(HttpClientResponse response, ByteBufFlux content, BoundedBytes into,
			List<String> compared) {
		int status = response.status().code();
		Map<String, List<String>> headers = KeptResponse.comparedHeaders(compared, response.responseHeaders()::getAll);
		// past max-body the rest is not read: the connection is closed instead
		return content.takeWhile(into::append).then(Mono.fromSupplier(() -> new KeptResponse(status, headers, into)));
	}

	private Mono<KeptResponse> observed(Mono<KeptResponse> call, MirrorContext context, String backend,
			Map<String, String> propagated) {
		RequestReplySenderContext<Map<String, String>, KeptResponse> sender = new RequestReplySenderContext<>(Map::put);
		sender.setCarrier(propagated);
		Observation observation = Observation.createNotStarted(OBSERVATION, () -> sender, this.observations)
			.contextualName("shadow " + context.request().method().name())
			.parentObservation(context.parent())
			.lowCardinalityKeyValue("strangler.shadow", "true")
			.lowCardinalityKeyValue("route", context.route().id())
			.lowCardinalityKeyValue("backend", backend)
			// writes traceparent into the carrier, read when the request goes out
			.start();
		return call.doOnNext(sender::setResponse)
			.doOnError(observation::error)
			.doFinally((signal) -> observation.stop());
	}

	private Mono<KeptResponse> timed(Mono<KeptResponse> call, String routeId, String backend) {
		Timer.Sample sample = Timer.start(this.meters);
		return call.doOnSuccess((response) -> sample.stop(succeeded(routeId, backend)))
			.doOnError((ex) -> sample.stop(failed(routeId, backend, ex)));
	}

	/**
	 * The same meter the observation's handler records into: same name, same tags
	 * ({@code error} is the exception's simple name, or {@code none}).
	 */
	private Timer succeeded(String routeId, String backend) {
		return this.timers.computeIfAbsent(routeId, (id) -> new ConcurrentHashMap<>())
			.computeIfAbsent(backend, (name) -> timer(routeId, name, NO_ERROR));
	}

	private Timer failed(String routeId, String backend, Throwable error) {
		return timer(routeId, backend, error.getClass().getSimpleName());
	}

	private Timer timer(String routeId, String backend, String error) {
		return Timer.builder(OBSERVATION)
			.tag("error", error)
			.tag("strangler.shadow", "true")
			.tag("route", routeId)
			.tag("backend", backend)
			.register(this.meters);
	}

	@Override
	public String toString() {
		return "ShadowClient[httpClient=" + this.httpClient + "]";
	}

}
