package dev.strangler.e2e.observe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A minimal OTLP/HTTP trace receiver: accepts {@code POST /v1/traces} protobuf exports
 * ({@code ExportTraceServiceRequest}, gzip or not) and keeps every span.
 *
 * <pre>{@code
 * try (OtlpReceiver otlp = OtlpReceiver.start()) {
 *     // --management.otlp.tracing.endpoint=otlp.endpoint()
 *     List<ReceivedSpan> spans = otlp.spans();
 * }
 * }</pre>
 */
final class OtlpReceiver implements AutoCloseable {

	private final HttpServer server;

	private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<String> rejected = new ConcurrentLinkedQueue<>();

	private OtlpReceiver(HttpServer server) {
		this.server = server;
	}

	static OtlpReceiver start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			OtlpReceiver receiver = new OtlpReceiver(server);
			server.createContext("/v1/traces", receiver::handle);
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the OTLP receiver", ex);
		}
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces");
	}

	/** Every span received so far. */
	List<ReceivedSpan> spans() {
		return new ArrayList<>(this.spans);
	}

	/** Why payloads were refused, if any were (a wrong content type or a broken body). */
	List<String> rejected() {
		return new ArrayList<>(this.rejected);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
			if (!"POST".equals(exchange.getRequestMethod()) || contentType == null
					|| !contentType.startsWith("application/x-protobuf")) {
				this.rejected.add(exchange.getRequestMethod() + " " + contentType);
				exchange.sendResponseHeaders(415, -1);
				return;
			}
			ExportTraceServiceRequest request;
			try (InputStream body = body(exchange)) {
				request = ExportTraceServiceRequest.parseFrom(body);
			}
			catch (IOException ex) {
				this.rejected.add("undecodable payload: " + ex);
				exchange.sendResponseHeaders(400, -1);
				return;
			}
			request.getResourceSpansList()
				.forEach((resource) -> resource.getScopeSpansList()
					.forEach((scope) -> scope.getSpansList().forEach((span) -> this.spans.add(ReceivedSpan.of(span)))));
			byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
			exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, (response.length == 0) ? -1 : response.length);
			if (response.length > 0) {
				exchange.getResponseBody().write(response);
			}
		}
	}

	private static InputStream body(HttpExchange exchange) throws IOException {
		String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
		return "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(exchange.getRequestBody())
				: exchange.getRequestBody();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/**
	 * One received span, ids as lower-case hex.
	 *
	 * @param traceId the trace id
	 * @param spanId the span id
	 * @param parentSpanId the parent span id, empty for a root span
	 * @param name the span name
	 * @param kind the span kind
	 * @param attributes string attributes (other types as their text form)
	 */
	record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
			java.util.Map<String, String> attributes) {

		static ReceivedSpan of(Span span) {
			java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
			for (KeyValue attribute : span.getAttributesList()) {
				attributes.put(attribute.getKey(), attribute.getValue().hasStringValue()
						? attribute.getValue().getStringValue() : attribute.getValue().toString().trim());
			}
			return new ReceivedSpan(hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
					hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind(), attributes);
		}

		private static String hex(byte[] bytes) {
			return java.util.HexFormat.of().formatHex(bytes);
		}

	}

}
