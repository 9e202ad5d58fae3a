package dev.strangler.gateway.observe;

import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With ECS structured logging, every request leaves one JSON access line on
 * {@code strangler.access} carrying route, stage, backend, status, duration and the trace
 * id, which is also the one the backend received in {@code traceparent}.
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogIntegrationTests extends ObservedGateway {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@Test
	void aRoutedRequestLeavesAnAccessLineWithItsTraceId(CapturedOutput output) {
		get("/api/products/42", TRACE_ID, "00f067aa0ba902b7", 200);

		JsonNode line = await().until(() -> accessLine(output, TRACE_ID), (found) -> found != null);
		assertThat(field(line, "log.logger")).isEqualTo("strangler.access");
		assertThat(field(line, "strangler.route")).isEqualTo("catalog");
		assertThat(field(line, "strangler.stage")).isEqualTo("legacy");
		assertThat(field(line, "strangler.backend")).isEqualTo("legacy");
		assertThat(field(line, "http.response.status_code")).isEqualTo("200");
		assertThat(field(line, "url.path")).isEqualTo("/api/products/42");
		assertThat(field(line, "event.duration_ms")).matches("\\d+");
		legacy.verify(getRequestedFor(urlEqualTo("/api/products/42")).withHeader("traceparent",
				matching("00-" + TRACE_ID + "-[0-9a-f]{16}-01")));
	}

	@Test
	void anUnsampledRequestsAccessLineCarriesTheIdsItsBackendGot(CapturedOutput output) {
		String traceId = "3bf92f3577b34da6a3ce929d0e0e4735";
		getUnsampled("/api/products/43", traceId, 200);

		JsonNode line = await().until(() -> accessLine(output, traceId), (found) -> found != null);
		assertThat(field(line, "traceId")).isEqualTo(traceId);
		String spanId = field(line, "spanId");
		assertThat(spanId).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
		legacy.verify(getRequestedFor(urlEqualTo("/api/products/43")).withHeader("traceparent",
				equalTo("00-" + traceId + "-" + spanId + "-00")));
	}

	@Test
	void anUnsampledGatewayErrorLineCarriesTheTraceIdOfTheMdc(CapturedOutput output) {
		String traceId = "2bf92f3577b34da6a3ce929d0e0e4734";
		getUnsampled("/api/dead/11", traceId, 502);

		JsonNode line = await().until(() -> jsonLines(output)
			.filter((json) -> field(json, "message") != null
					&& field(json, "message").startsWith("Gateway error for GET /api/dead/11"))
			.findFirst()
			.orElse(null), (found) -> found != null);
		assertThat(field(line, "traceId")).isEqualTo(traceId);
		assertThat(field(line, "spanId")).matches("[0-9a-f]{16}");
	}

	@Test
	void aGatewayErrorLeavesAnAccessLineWithTheProblemStatus(CapturedOutput output) {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		get("/api/dead/9", traceId, "b7ad6b7169203331", 502);

		JsonNode line = await().until(() -> accessLine(output, traceId), (found) -> found != null);
		assertThat(field(line, "strangler.route")).isEqualTo("dead");
		assertThat(field(line, "strangler.backend")).isEqualTo("target");
		assertThat(field(line, "http.response.status_code")).isEqualTo("502");
	}

	@Test
	void theAccessLineCarriesTheTraceAndSpanIdsOfTheMdc(CapturedOutput output) {
		String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
		get("/unrouted/path", traceId, "00f067aa0ba902b7", 200);

		JsonNode line = await().until(() -> accessLine(output, traceId), (found) -> found != null);
		assertThat(field(line, "strangler.route")).isEqualTo("unrouted");
		assertThat(field(line, "traceId")).as("trace id from the MDC").isEqualTo(traceId);
		assertThat(field(line, "spanId")).as("span id from the MDC").matches("[0-9a-f]{16}");
		assertThat(legacy.findAll(getRequestedFor(anyUrl()))).isNotEmpty();
	}

	@Test
	void theGatewayErrorLineCarriesTheTraceIdOfTheMdc(CapturedOutput output) {
		String traceId = "6bf92f3577b34da6a3ce929d0e0e4738";
		get("/api/dead/10", traceId, "00f067aa0ba902b7", 502);

		JsonNode line = await().until(() -> jsonLines(output)
			.filter((json) -> field(json, "message") != null
					&& field(json, "message").startsWith("Gateway error for GET"))
			.filter((json) -> traceId.equals(field(json, "traceId")))
			.findFirst()
			.orElse(null), (found) -> found != null);
		assertThat(field(line, "log.level")).isEqualTo("WARN");
		assertThat(field(line, "spanId")).as("span id from the MDC").matches("[0-9a-f]{16}");
	}

	private void get(String uri, String traceId, String parentSpanId, int status) {
		get(uri, "00-" + traceId + "-" + parentSpanId + "-01", status);
	}

	/** A request whose caller's trace is not sampled (flag 00). */
	private void getUnsampled(String uri, String traceId, int status) {
		get(uri, "00-" + traceId + "-00f067aa0ba902b7-00", status);
	}

	private void get(String uri, String traceparent, int status) {
		this.client.get().uri(uri).header("traceparent", traceparent).exchange().expectStatus().isEqualTo(status);
	}

	private static Stream<JsonNode> jsonLines(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.startsWith("{")).map(AccessLogIntegrationTests::parse);
	}

	static JsonNode accessLine(CapturedOutput output, String traceId) {
		List<JsonNode> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(AccessLogIntegrationTests::parse)
			.filter((json) -> traceId.equals(field(json, "trace.id")))
			.toList();
		return lines.isEmpty() ? null : lines.get(0);
	}

	/** A field by its dotted ECS name, flat or nested. */
	static String field(JsonNode json, String dottedName) {
		if (json.has(dottedName)) {
			return json.get(dottedName).asText();
		}
		JsonNode node = json;
		for (String part : dottedName.split("\\.")) {
			node = node.path(part);
		}
		return node.isMissingNode() ? null : node.asText();
	}

	private static JsonNode parse(String line) {
		try {
			return JSON.readTree(line);
		}
		catch (Exception ex) {
			throw new AssertionError("Log line is not JSON: " + line, ex);
		}
	}

}
