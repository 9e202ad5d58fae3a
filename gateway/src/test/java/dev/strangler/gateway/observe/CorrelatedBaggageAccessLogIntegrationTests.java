package dev.strangler.gateway.observe;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With baggage fields correlated with logs, the access line is written within the
 * request's whole trace scope, so the fields reach the MDC beside the trace and span ids
 * (without them, the ids are put into the MDC directly: {@link AccessLineMdc}).
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "management.tracing.baggage.remote-fields=tenant",
		"management.tracing.baggage.correlation.fields=tenant" })
class CorrelatedBaggageAccessLogIntegrationTests extends ObservedGateway {

	@Test
	void theAccessLineCarriesTheCorrelatedBaggageFieldsAndTheIds(CapturedOutput output) {
		String traceId = "7bf92f3577b34da6a3ce929d0e0e4739";

		JsonNode line = accessLineOf(output, "00-" + traceId + "-00f067aa0ba902b7-01", "tenant=acme");

		assertThat(AccessLogIntegrationTests.field(line, "tenant")).as("baggage field from the MDC").isEqualTo("acme");
		assertThat(AccessLogIntegrationTests.field(line, "traceId")).as("trace id from the MDC").isEqualTo(traceId);
		assertThat(AccessLogIntegrationTests.field(line, "spanId")).as("span id from the MDC").matches("[0-9a-f]{16}");
	}

	/**
	 * An unsampled request keeps its observation here ({@link UnsampledServerRequests}):
	 * the fields are only in its scope.
	 */
	@Test
	void anUnsampledRequestsAccessLineCarriesThemToo(CapturedOutput output) {
		String traceId = "7bf92f3577b34da6a3ce929d0e0e4740";

		JsonNode line = accessLineOf(output, "00-" + traceId + "-00f067aa0ba902b7-00", "tenant=globex");

		assertThat(AccessLogIntegrationTests.field(line, "tenant")).isEqualTo("globex");
		assertThat(AccessLogIntegrationTests.field(line, "traceId")).isEqualTo(traceId);
	}

	private JsonNode accessLineOf(CapturedOutput output, String traceparent, String baggage) {
		this.client.get()
			.uri("/unrouted/baggage")
			.header("traceparent", traceparent)
			.header("baggage", baggage)
			.exchange()
			.expectStatus()
			.isOk();
		String traceId = traceparent.split("-")[1];
		return await().until(() -> AccessLogIntegrationTests.accessLine(output, traceId), (found) -> found != null);
	}

}
