package dev.strangler.gateway.server;

import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;

/**
 * Puts the edge's handlers into every HTTP/1.1 connection's pipeline, right after Netty's
 * codec and before Reactor Netty's own handling: {@link MalformedRequestAnswer} (shared)
 * then a {@link RequestBodyLimit} of the connection's own.
 */
final class EdgeLimits implements NettyServerCustomizer {

	static final String MALFORMED_REQUEST_ANSWER = "strangler.malformedRequestAnswer";

	static final String REQUEST_BODY_LIMIT = "strangler.requestBodyLimit";

	private final MalformedRequestAnswer malformed;

	private final long maxRequestBody;

	private final EdgeProblem tooLarge;

	EdgeLimits(MalformedRequestAnswer malformed, long maxRequestBody, EdgeProblem tooLarge) {
		this.malformed = malformed;
		this.maxRequestBody = maxRequestBody;
		this.tooLarge = tooLarge;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			ChannelPipeline pipeline = channel.pipeline();
			// Absent for an HTTP/2-only server: not a configuration the gateway uses.
			if (pipeline.get(NettyPipeline.HttpCodec) != null) {
				pipeline.addAfter(NettyPipeline.HttpCodec, MALFORMED_REQUEST_ANSWER, this.malformed);
				pipeline.addAfter(MALFORMED_REQUEST_ANSWER, REQUEST_BODY_LIMIT,
						new RequestBodyLimit(this.maxRequestBody, this.tooLarge));
			}
		});
	}

	@Override
	public String toString() {
		return "EdgeLimits[maxRequestBody=" + this.maxRequestBody + " bytes]";
	}

}
