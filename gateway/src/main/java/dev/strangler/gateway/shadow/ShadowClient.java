package dev.strangler.gateway.shadow;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.strangler.gateway.compare.CapturedResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;
import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends a {@link MirrorRequest} to a backend and reads its answer, bounded in time and
 * size. Each call is an {@link Observation} of its own ({@code strangler.shadow.mirror},
 * low-cardinality {@code strangler.shadow=true}), child of the client request's, and the
 * instrumented {@link WebClient} propagates its trace context ({@code traceparent}).
 */
final class ShadowClient {

	/** Name of the observation (and span) of one mirrored call. */
	static final String OBSERVATION = "strangler.shadow.mirror";

	private final WebClient webClient;

	private final ObservationRegistry observations;

	private final int maxBody;

	/**
	 * Creates the client.
	 * @param webClient built from Spring's {@code WebClient.Builder}, so that it is
	 * instrumented
	 * @param observations the registry of the mirror observations
	 * @param maxBody largest response body read; a larger one is reported truncated
	 */
	ShadowClient(WebClient webClient, ObservationRegistry observations, long maxBody) {
		this.webClient = webClient;
		this.observations = observations;
		this.maxBody = (int) Math.min(maxBody, Integer.MAX_VALUE);
	}

	/**
	 * Sends the request to a backend, marked {@code X-Strangler-Shadow: true}.
	 * @param routeId the route, for the observation
	 * @param backend {@code target} or {@code legacy} (noise detection), for the
	 * observation
	 * @param base the backend's base URL
	 * @param request the request
	 * @param body the request body (may be empty)
	 * @param timeout how long the whole call may take
	 * @param parent the client request's observation, if any
	 * @return the answer; an error if the backend failed or was too slow
	 */
	Mono<CapturedResponse> send(String routeId, String backend, URI base, MirrorRequest request, byte[] body,
			Duration timeout, @Nullable Observation parent) {
		return Mono.defer(() -> {
			Observation observation = Observation.createNotStarted(OBSERVATION, this.observations)
				.contextualName("shadow " + request.method().name())
				.parentObservation(parent)
				.lowCardinalityKeyValue("strangler.shadow", "true")
				.lowCardinalityKeyValue("route", routeId)
				.lowCardinalityKeyValue("backend", backend)
				.start();
			WebClient.RequestBodySpec spec = this.webClient.method(request.method())
				.uri(request.on(base))
				.headers((headers) -> {
					headers.addAll(request.headers());
					headers.set(MirrorRequest.SHADOW_HEADER, "true");
				});
			WebClient.RequestHeadersSpec<?> ready = (body.length > 0) ? spec.bodyValue(body) : spec;
			return ready.exchangeToMono(this::read)
				.timeout(timeout)
				.doOnError(observation::error)
				.doFinally((signal) -> observation.stop())
				// the WebClient's own observation becomes a child of this one
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private Mono<CapturedResponse> read(ClientResponse response) {
		int status = response.statusCode().value();
		Map<String, List<String>> headers = copy(response.headers().asHttpHeaders());
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.maxBody).map((buffer) -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			return new CapturedResponse(status, headers, bytes, false);
		})
			.defaultIfEmpty(new CapturedResponse(status, headers, new byte[0], false))
			.onErrorResume(DataBufferLimitException.class,
					(ex) -> Mono.just(new CapturedResponse(status, headers, new byte[0], true)));
	}

	static Map<String, List<String>> copy(HttpHeaders headers) {
		// case-insensitive, as header names are
		Map<String, List<String>> copy = new LinkedCaseInsensitiveMap<>();
		headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
		return copy;
	}

	@Override
	public String toString() {
		return "ShadowClient[maxBody=" + this.maxBody + "]";
	}

}
