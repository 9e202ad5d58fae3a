package dev.strangler.gateway.server;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;

/**
 * One answer the edge gives before a request reaches the gateway's handlers: an RFC 9457
 * problem, rendered once at start-up, sent with {@code Connection: close} and counted in
 * {@code strangler.edge.rejected}.
 */
final class EdgeProblem {

	private static final String CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	private final HttpResponseStatus status;

	private final byte[] body;

	private final Counter rejected;

	EdgeProblem(HttpResponseStatus status, String detail, ObjectMapper json, MeterRegistry registry) {
		this.status = status;
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status.code()), detail);
		try {
			this.body = json.writeValueAsBytes(problem);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot render the " + status + " problem", ex);
		}
		this.rejected = Counter.builder("strangler.edge.rejected")
			.description("Requests the edge refused before routing (malformed, too long, too large, too slow)")
			.tag("status", String.valueOf(status.code()))
			.register(registry);
	}

	/**
	 * Writes the problem; the connection must be closed after it (the caller decides
	 * when).
	 * @param context the handler context to write from
	 * @return the write's future
	 */
	ChannelFuture answer(ChannelHandlerContext context) {
		this.rejected.increment();
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, this.status,
				Unpooled.wrappedBuffer(this.body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, this.body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		return context.writeAndFlush(response);
	}

	/**
	 * A size as operators write it in properties: {@code 10MB}, {@code 8KB},
	 * {@code 1000B}.
	 * @param size the size
	 * @return its shortest exact spelling
	 */
	static String format(DataSize size) {
		long bytes = size.toBytes();
		if (bytes > 0 && bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return size.toMegabytes() + "MB";
		}
		if (bytes > 0 && bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
			return size.toKilobytes() + "KB";
		}
		return bytes + "B";
	}

	/**
	 * A duration as operators write it in properties: {@code 10s}, {@code 1500ms}.
	 * @param duration the duration
	 * @return its shortest exact spelling
	 */
	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	@Override
	public String toString() {
		return "EdgeProblem[" + this.status.code() + "]";
	}

}
