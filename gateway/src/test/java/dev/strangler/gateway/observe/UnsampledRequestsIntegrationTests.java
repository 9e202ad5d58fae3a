package dev.strangler.gateway.observe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request whose trace is not sampled costs no server observation and no client
 * observation (no server span, no {@code http.client.requests} sample, no client span),
 * yet {@code http.server.requests} and {@code strangler.requests} still count it and its
 * backend still gets the trace context; a sampled one gets all of it.
 */
class UnsampledRequestsIntegrationTests extends ObservedGateway {

	private static final String CLIENT_CALLS = "http_client_requests_seconds_count";

	private static final String REQUESTS = "strangler_requests_seconds_count";

	private static final String SERVER_REQUESTS = "http_server_requests_seconds_count";

	/** The trace ids of the server observations started, by a handler added once. */
	private static final List<String> observedTraceparents = new CopyOnWriteArrayList<>();

	@Autowired
	List<PropagatingReceiverTracingObservationHandler<?>> serverSpanHandlers;

	@Autowired
	ObservationRegistry observations;

	@Autowired
	PinnedTraceIds pinnedTraceIds;

	@Autowired
	UnsampledServerRequests unsampledServerRequests;

	@BeforeEach
	void recordServerObservations() {
		if (observedTraceparents.isEmpty()) {
			observedTraceparents.add("(handler added)");
			this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context context) {
					return context instanceof ServerRequestObservationContext;
				}

				@Override
				public void onStart(Observation.Context context) {
					String traceparent = ((ServerRequestObservationContext) context).getCarrier()
						.getHeaders()
						.getFirst("traceparent");
					observedTraceparents.add(String.valueOf(traceparent));
				}

			});
		}
	}

	@Test
	void theGatewayDecidesTheSamplingLikeSpringBootsTracer() {
		get("/api/products/70", "00-" + "6bf92f3577b34da6a3ce929d0e0e4741" + "-00f067aa0ba902b7-01");

		assertThat(this.pinnedTraceIds.installed()).as("trace ids of Spring Boot's tracer provider").isTrue();
		assertThat(this.unsampledServerRequests.toString())
			.contains("TraceDecider[ParentBased{root:TraceIdRatioBased{1.000000}");
	}

	@Test
	void anUnsampledRequestHasNoServerObservationYetIsTimed() {
		String unsampled = "7cf92f3577b34da6a3ce929d0e0e4742";
		String sampled = "7df92f3577b34da6a3ce929d0e0e4743";
		Map<String, String> tags = Map.of("method", "GET", "status", "200", "outcome", "SUCCESS", "uri", "UNKNOWN");
		PrometheusScrape before = scrape();

		get("/api/products/73", "00-" + unsampled + "-00f067aa0ba902b7-00");
		get("/api/products/74", "00-" + sampled + "-00f067aa0ba902b7-01");

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(scrape().sum(SERVER_REQUESTS, tags) - before.sum(SERVER_REQUESTS, tags))
				.as("http.server.requests of both")
				.isEqualTo(2));
		assertThat(observedTraceparents).anyMatch((traceparent) -> traceparent.contains(sampled))
			.noneMatch((traceparent) -> traceparent.contains(unsampled));
	}

	@Test
	void anUnsampledManagementRequestIsTimedToo() {
		Map<String, String> tags = Map.of("uri", "/actuator/health", "status", "200");
		PrometheusScrape before = scrape();

		this.management.get()
			.uri("/actuator/health")
			.header("traceparent", "00-7ef92f3577b34da6a3ce929d0e0e4744-00f067aa0ba902b7-00")
			.exchange()
			.expectStatus()
			.isOk();

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(scrape().sum(SERVER_REQUESTS, tags) - before.sum(SERVER_REQUESTS, tags))
				.isEqualTo(1));
	}

	@Test
	void serverSpansAreHandledByTheHandlerThatTagsOnlyRecordingSpans() {
		assertThat(this.serverSpanHandlers).singleElement().isInstanceOf(RecordingReceiverTracingHandler.class);
	}

	@Test
	void anUnsampledRequestHasNoClientObservationButPassesItsTraceContextOn() {
		String traceId = "7bf92f3577b34da6a3ce929d0e0e4739";
		PrometheusScrape before = scrape();

		get("/api/products/71", "00-" + traceId + "-00f067aa0ba902b7-00");

		PrometheusScrape after = counted(before);
		assertThat(after.sum(CLIENT_CALLS, Map.of()) - before.sum(CLIENT_CALLS, Map.of()))
			.as("client observations recorded")
			.isZero();
		legacy.verify(getRequestedFor(urlEqualTo("/api/products/71")).withHeader("traceparent",
				matching("00-" + traceId + "-[0-9a-f]{16}-00")));
	}

	@Test
	void aSampledRequestHasItsClientObservation() {
		String traceId = "8bf92f3577b34da6a3ce929d0e0e4740";
		PrometheusScrape before = scrape();

		get("/api/products/72", "00-" + traceId + "-00f067aa0ba902b7-01");

		PrometheusScrape after = counted(before);
		assertThat(after.sum(CLIENT_CALLS, Map.of()) - before.sum(CLIENT_CALLS, Map.of())).isEqualTo(1);
		legacy.verify(getRequestedFor(urlEqualTo("/api/products/72")).withHeader("traceparent",
				matching("00-" + traceId + "-[0-9a-f]{16}-01")));
	}

	/**
	 * The first scrape that counts the request: the gateway reports a request once its
	 * exchange completed, which may be just after the client has the response.
	 */
	private PrometheusScrape counted(PrometheusScrape before) {
		return await().atMost(Duration.ofSeconds(20))
			.until(this::scrape, (after) -> after.sum(REQUESTS, Map.of("route", "catalog"))
					- before.sum(REQUESTS, Map.of("route", "catalog")) >= 1);
	}

	private void get(String path, String traceparent) {
		this.client.get().uri(path).header("traceparent", traceparent).exchange().expectStatus().isOk();
	}

}
