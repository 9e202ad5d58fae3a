package dev.strangler.gateway.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers a request head Netty's decoder could not read with a problem instead of Reactor
 * Netty's empty response: {@code 414} for a request line over
 * {@code server.netty.max-initial-line-length}, {@code 431} for a header section over
 * {@code server.max-http-request-header-size}, {@code 400} for anything else malformed.
 *
 * <p>
 * The decoder marks such a head with a failed {@link DecoderResult} and discards the rest
 * of the connection's input; after the answer the connection is closed, as Reactor Netty
 * does. A well-formed request costs one field check.
 */
@Sharable
final class MalformedRequestAnswer extends ChannelInboundHandlerAdapter {

	private final EdgeProblem lineTooLong;

	private final EdgeProblem headersTooLarge;

	private final EdgeProblem malformed;

	MalformedRequestAnswer(EdgeProblem lineTooLong, EdgeProblem headersTooLarge, EdgeProblem malformed) {
		this.lineTooLong = lineTooLong;
		this.headersTooLarge = headersTooLarge;
		this.malformed = malformed;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (message instanceof HttpRequest request && request.decoderResult().isFailure()) {
			Throwable cause = request.decoderResult().cause();
			ReferenceCountUtil.release(message);
			problemFor(cause).answer(context).addListener(ChannelFutureListener.CLOSE);
			return;
		}
		context.fireChannelRead(message);
	}

	private EdgeProblem problemFor(Throwable cause) {
		if (cause instanceof TooLongHttpLineException) {
			return this.lineTooLong;
		}
		if (cause instanceof TooLongHttpHeaderException) {
			return this.headersTooLarge;
		}
		return this.malformed;
	}

	@Override
	public String toString() {
		return "MalformedRequestAnswer";
	}

}
