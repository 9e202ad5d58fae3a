package dev.strangler.gateway.observe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request whose trace is not sampled costs no client observation (no
 * {@code http.client.requests} sample, no client span), yet its backend still gets the
 * trace context, and {@code strangler.requests} still counts it; a sampled one gets both.
 */
class UnsampledRequestsIntegrationTests extends ObservedGateway {

	private static final String CLIENT_CALLS = "http_client_requests_seconds_count";

	private static final String REQUESTS = "strangler_requests_seconds_count";

	@Autowired
	List<PropagatingReceiverTracingObservationHandler<?>> serverSpanHandlers;

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
