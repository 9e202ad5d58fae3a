package dev.strangler.gateway.server;

import java.time.Duration;

import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;

/**
 * Puts the edge's handlers into every HTTP/1.1 connection's pipeline, right after Netty's
 * codec and before Reactor Netty's own handling: a {@link RequestHeadDeadline} of the
 * connection's own (one side before the codec, one after), {@link MalformedRequestAnswer}
 * (shared), then a {@link RequestBodyLimit} of the connection's own.
 */
final class EdgeLimits implements NettyServerCustomizer {

	static final String REQUEST_HEAD_BYTES = "strangler.requestHeadBytes";

	static final String REQUEST_HEAD_MESSAGES = "strangler.requestHeadMessages";

	static final String MALFORMED_REQUEST_ANSWER = "strangler.malformedRequestAnswer";

	static final String REQUEST_BODY_LIMIT = "strangler.requestBodyLimit";

	private final MalformedRequestAnswer malformed;

	private final long maxRequestBody;

	private final EdgeProblem tooLarge;

	private final Duration requestHeadTimeout;

	private final EdgeProblem headTimedOut;

	EdgeLimits(MalformedRequestAnswer malformed, long maxRequestBody, EdgeProblem tooLarge, Duration requestHeadTimeout,
			EdgeProblem headTimedOut) {
		this.malformed = malformed;
		this.maxRequestBody = maxRequestBody;
		this.tooLarge = tooLarge;
		this.requestHeadTimeout = requestHeadTimeout;
		this.headTimedOut = headTimedOut;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			ChannelPipeline pipeline = channel.pipeline();
			// Absent for an HTTP/2-only server: not a configuration the gateway uses.
			if (pipeline.get(NettyPipeline.HttpCodec) != null) {
				RequestHeadDeadline deadline = new RequestHeadDeadline(this.requestHeadTimeout, this.headTimedOut,
						System::nanoTime);
				pipeline.addBefore(NettyPipeline.HttpCodec, REQUEST_HEAD_BYTES, deadline.bytes());
				pipeline.addAfter(NettyPipeline.HttpCodec, REQUEST_HEAD_MESSAGES, deadline.messages());
				pipeline.addAfter(REQUEST_HEAD_MESSAGES, MALFORMED_REQUEST_ANSWER, this.malformed);
				pipeline.addAfter(MALFORMED_REQUEST_ANSWER, REQUEST_BODY_LIMIT,
						new RequestBodyLimit(this.maxRequestBody, this.tooLarge));
			}
		});
	}

	@Override
	public String toString() {
		return "EdgeLimits[maxRequestBody=" + this.maxRequestBody + " bytes, requestHeadTimeout="
				+ this.requestHeadTimeout + "]";
	}

}
