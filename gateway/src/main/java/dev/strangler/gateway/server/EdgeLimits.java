package dev.strangler.gateway.server;

import java.time.Duration;

import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;

/**
 * Puts the edge's handlers into every HTTP/1.1 connection's pipeline, right after Netty's
 * codec and before Reactor Netty's own handling: the {@link ConnectionDeadlines} of the
 * connection (one side before the codec, one after), {@link MalformedRequestAnswer}
 * (shared), then a {@link RequestBodyLimit} of the connection's own.
 */
final class EdgeLimits implements NettyServerCustomizer {

	static final String DEADLINES_BYTES = "strangler.deadlinesBytes";

	static final String DEADLINES_MESSAGES = "strangler.deadlinesMessages";

	static final String MALFORMED_REQUEST_ANSWER = "strangler.malformedRequestAnswer";

	static final String REQUEST_BODY_LIMIT = "strangler.requestBodyLimit";

	private final MalformedRequestAnswer malformed;

	private final long maxRequestBody;

	private final EdgeProblem tooLarge;

	private final Duration requestHeadTimeout;

	private final Duration idleTimeout;

	private final EdgeProblem headTimedOut;

	EdgeLimits(MalformedRequestAnswer malformed, long maxRequestBody, EdgeProblem tooLarge, Duration requestHeadTimeout,
			Duration idleTimeout, EdgeProblem headTimedOut) {
		this.malformed = malformed;
		this.maxRequestBody = maxRequestBody;
		this.tooLarge = tooLarge;
		this.requestHeadTimeout = requestHeadTimeout;
		this.idleTimeout = idleTimeout;
		this.headTimedOut = headTimedOut;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			ChannelPipeline pipeline = channel.pipeline();
			// Absent for an HTTP/2-only server: not a configuration the gateway uses.
			if (pipeline.get(NettyPipeline.HttpCodec) != null) {
				ConnectionDeadlines deadlines = new ConnectionDeadlines(this.requestHeadTimeout, this.idleTimeout,
						this.headTimedOut, System::nanoTime);
				pipeline.addBefore(NettyPipeline.HttpCodec, DEADLINES_BYTES, deadlines.bytes());
				pipeline.addAfter(NettyPipeline.HttpCodec, DEADLINES_MESSAGES, deadlines.messages());
				pipeline.addAfter(DEADLINES_MESSAGES, MALFORMED_REQUEST_ANSWER, this.malformed);
				pipeline.addAfter(MALFORMED_REQUEST_ANSWER, REQUEST_BODY_LIMIT,
						new RequestBodyLimit(this.maxRequestBody, this.tooLarge));
			}
		});
	}

	@Override
	public String toString() {
		return "EdgeLimits[maxRequestBody=" + this.maxRequestBody + " bytes, requestHeadTimeout="
				+ this.requestHeadTimeout + ", idleTimeout=" + this.idleTimeout + "]";
	}

}
