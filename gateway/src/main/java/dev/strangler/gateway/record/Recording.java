package dev.strangler.gateway.record;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

import dev.strangler.gateway.digest.Sha256;
import dev.strangler.gateway.headers.ForwardedRequestHeaders;
import dev.strangler.gateway.routing.RoutingDecision;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * What is being recorded of one exchange: the request body seen so far (up to the limit)
 * and a running SHA-256 of the response body. Whether the exchange is recorded at all is
 * decided once, on first need, after the gateway chose its route.
 */
final class Recording {

	private final ServerWebExchange exchange;

	private final RecordSampler sampler;

	private final int maxBody;

	private volatile Boolean active;

	private final ByteArrayOutputStream requestBody = new ByteArrayOutputStream();

	private volatile boolean requestBodyTruncated;

	private final MessageDigest responseDigest;

	private volatile boolean responseStreamed;

	Recording(ServerWebExchange exchange, RecordSampler sampler, int maxBody) {
		this.exchange = exchange;
		this.sampler = sampler;
		this.maxBody = maxBody;
		this.responseDigest = Sha256.newDigest();
	}

	/**
	 * Whether this exchange is recorded: a route claimed it, the route is recorded, and
	 * the sample says so. Decided on the first call that finds a routing decision.
	 * @return {@code true} to record
	 */
	boolean active() {
		Boolean decided = this.active;
		if (decided != null) {
			return decided;
		}
		RoutingDecision decision = RoutingDecision.of(this.exchange);
		if (decision == null) {
			return false;
		}
		decided = this.sampler.record(decision.route().id());
		this.active = decided;
		return decided;
	}

	void requestBody(DataBuffer buffer) {
		if (!active() || this.requestBodyTruncated) {
			return;
		}
		int readable = buffer.readableByteCount();
		int room = this.maxBody - this.requestBody.size();
		byte[] bytes = new byte[Math.min(readable, Math.max(room, 0))];
		// a copy at the buffer's read position, which is left unchanged for the backend
		buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, bytes.length);
		this.requestBody.write(bytes, 0, bytes.length);
		if (readable > room) {
			this.requestBodyTruncated = true;
		}
	}

	void responseBody(DataBuffer buffer) {
		if (!active()) {
			return;
		}
		byte[] bytes = new byte[buffer.readableByteCount()];
		// a copy at the buffer's read position, which is left unchanged for the client
		buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, bytes.length);
		this.responseDigest.update(bytes);
	}

	void responseStreamed() {
		this.responseStreamed = true;
	}

	/**
	 * The recording of a completed exchange.
	 * @param time when the request arrived
	 * @param headers the allow-list of request headers
	 * @return the recording, or {@code null} when this exchange is not recorded
	 */
	RecordedRequest complete(Instant time, HeaderAllowList headers) {
		RoutingDecision decision = RoutingDecision.of(this.exchange);
		if (decision == null || !active()) {
			return null;
		}
		ServerHttpRequest request = this.exchange.getRequest();
		HttpStatusCode status = this.exchange.getResponse().getStatusCode();
		byte[] body = this.requestBody.toByteArray();
		String text = (body.length > 0) ? utf8(body) : null;
		String base64 = (body.length > 0 && text == null) ? Base64.getEncoder().encodeToString(body) : null;
		String sha256 = this.responseStreamed ? null : Sha256.hex(this.responseDigest);
		return new RecordedRequest(time, decision.route().id(), request.getMethod().name(),
				request.getURI().getRawPath(), request.getURI().getRawQuery(),
				headers.recorded(ForwardedRequestHeaders.copyOf(this.exchange)), text, base64,
				this.requestBodyTruncated, (status != null) ? status.value() : 200, sha256, decision.backend().value());
	}

	private static String utf8(byte[] body) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
