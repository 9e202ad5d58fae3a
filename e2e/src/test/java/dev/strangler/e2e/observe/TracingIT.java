package dev.strangler.e2e.observe;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.e2e.observe.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces as exported: a real gateway process sends its spans over OTLP/HTTP to a receiver
 * that decodes the protobuf payloads, with the {@code catalog} route in stage
 * {@code shadow} between two WireMock backends. Each client request is one trace whose
 * gateway (server) span is the parent of the call to legacy and of the mirrored call to
 * the target (its own span, marked {@code strangler.shadow=true}), and the trace id is
 * the one legacy received in {@code traceparent}.
 */
@Tag("e2e")
class TracingIT {

	private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final WireMockServer legacy = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	private static final WireMockServer target = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	private static OtlpReceiver otlp;

	private static GatewayProcess gateway;

	@BeforeAll
	static void start() throws IOException {
		legacy.start();
		target.start();
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":1,\"name\":\"Kettle\"}")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":1,\"name\":\"Kettle\"}")));
		otlp = OtlpReceiver.start();
		Path routes = Path.of(System.getProperty("e2e.build.dir", "target"), "observe", "tracing-routes");
		Files.createDirectories(routes);
		Files.writeString(routes.resolve("catalog.yml"), """
				routes:
				  - id: catalog
				    match:
				      paths: [/api/products, /api/products/**]
				      methods: [GET, HEAD]
				    target: %s
				    stage: shadow
				    shadow:
				      percent: 100
				""".formatted(target.baseUrl()));
		gateway = GatewayProcess.start("tracing",
				List.of("--strangler.legacy.url=" + legacy.baseUrl(),
						"--strangler.routes.location=file:" + routes.toAbsolutePath() + "/",
						"--management.tracing.sampling.probability=1.0",
						"--management.otlp.tracing.endpoint=" + otlp.endpoint()));
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		if (otlp != null) {
			otlp.close();
		}
		legacy.stop();
		target.stop();
	}

	@Test
	void eachRequestIsOneTraceWhoseGatewaySpanIsTheParentOfTheLegacyCall() throws Exception {
		for (int i = 1; i <= 3; i++) {
			assertThat(get("/api/products/" + i).statusCode()).isEqualTo(200);
		}

		for (int i = 1; i <= 3; i++) {
			LoggedRequest received = clientRequestToLegacy("/api/products/" + i);
			Matcher traceparent = TRACEPARENT.matcher(received.getHeader("traceparent"));
			assertThat(traceparent.matches()).as("traceparent legacy received: %s", received.getHeader("traceparent"))
				.isTrue();
			String traceId = traceparent.group(1);
			String legacyCallSpanId = traceparent.group(2);

			List<ReceivedSpan> trace = await("spans of trace " + traceId).atMost(Duration.ofSeconds(30))
				.until(() -> spansOf(traceId),
						(spans) -> spans.stream().anyMatch((s) -> s.spanId().equals(legacyCallSpanId))
								&& spans.stream().anyMatch((s) -> s.kind() == SpanKind.SPAN_KIND_SERVER));
			List<ReceivedSpan> servers = trace.stream().filter((s) -> s.kind() == SpanKind.SPAN_KIND_SERVER).toList();
			assertThat(servers).as("gateway spans of trace %s", traceId).hasSize(1);
			ReceivedSpan gatewaySpan = servers.get(0);
			assertThat(gatewaySpan.parentSpanId()).as("the gateway span is the root").isEmpty();
			assertThat(gatewaySpan.attributes()).containsEntry("strangler.route", "catalog")
				.containsEntry("strangler.stage", "shadow")
				.containsEntry("strangler.backend", "legacy");
			ReceivedSpan legacyCall = trace.stream()
				.filter((s) -> s.spanId().equals(legacyCallSpanId))
				.findFirst()
				.get();
			assertThat(legacyCall.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
			assertThat(legacyCall.parentSpanId()).as("parent of the legacy call; trace %s", trace)
				.isEqualTo(gatewaySpan.spanId());
			assertThat(legacyCall.attributes()).containsEntry("strangler.backend", "legacy");
		}
		assertThat(otlp.rejected()).isEmpty();
	}

	@Test
	void theMirroredCallIsItsOwnMarkedSpanUnderTheGatewaySpan() throws Exception {
		assertThat(get("/api/products/42").statusCode()).isEqualTo(200);
		LoggedRequest received = clientRequestToLegacy("/api/products/42");
		Matcher traceparent = TRACEPARENT.matcher(received.getHeader("traceparent"));
		assertThat(traceparent.matches()).isTrue();
		String traceId = traceparent.group(1);

		List<ReceivedSpan> trace = await("shadow span of trace " + traceId).atMost(Duration.ofSeconds(30))
			.until(() -> spansOf(traceId),
					(spans) -> spans.stream().anyMatch((s) -> "true".equals(s.attributes().get("strangler.shadow"))));
		ReceivedSpan gatewaySpan = trace.stream()
			.filter((s) -> s.kind() == SpanKind.SPAN_KIND_SERVER)
			.findFirst()
			.get();
		ReceivedSpan shadow = trace.stream()
			.filter((s) -> "true".equals(s.attributes().get("strangler.shadow")))
			.findFirst()
			.get();
		assertThat(shadow.parentSpanId()).as("parent of the mirrored call").isEqualTo(gatewaySpan.spanId());
		LoggedRequest mirrored = target.findAll(getRequestedFor(urlEqualTo("/api/products/42"))).get(0);
		assertThat(mirrored.getHeader("traceparent")).as("traceparent the target received").contains(traceId);
	}

	private static List<ReceivedSpan> spansOf(String traceId) {
		return otlp.spans().stream().filter((span) -> span.traceId().equals(traceId)).toList();
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The client's request as legacy received it: noise detection may ask legacy the same
	 * path a second time, beside it and marked as a mirror, and that call may arrive
	 * first.
	 */
	private static LoggedRequest clientRequestToLegacy(String path) {
		return legacy.findAll(getRequestedFor(urlEqualTo(path)).withHeader("X-Strangler-Shadow", absent())).get(0);
	}

}
