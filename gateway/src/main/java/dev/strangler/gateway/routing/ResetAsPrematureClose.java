package dev.strangler.gateway.routing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import reactor.netty.channel.AbortedException;

/**
 * Turns a backend connection reset into an ordinary close, so that a response cut off by
 * a reset fails instead of looking complete.
 *
 * <p>
 * Why: Reactor Netty's client ends a response's body normally when the backend resets the
 * connection in the middle of it (a close, by contrast, fails it with
 * {@code PrematureCloseException}). The gateway would then finish the client's response
 * as if it were whole: a chunked body silently truncated, or a fixed-length one that
 * never ends, so the client waits until it gives up. Closing the channel on a reset
 * instead takes Reactor Netty's close path: the response fails, Reactor Netty closes the
 * client's connection, and the resilience rules see a broken connection (fallback only
 * where safe).
 *
 * <p>
 * Sits first in every backend channel's pipeline; stateless, so one instance serves all.
 */
@ChannelHandler.Sharable
final class ResetAsPrematureClose extends ChannelInboundHandlerAdapter {

	/** Its name in the pipeline. */
	static final String NAME = "strangler.resetAsClose";

	static final ResetAsPrematureClose INSTANCE = new ResetAsPrematureClose();

	private ResetAsPrematureClose() {
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (AbortedException.isConnectionReset(cause)) {
			ctx.close();
			return;
		}
		ctx.fireExceptionCaught(cause);
	}

	@Override
	public String toString() {
		return "ResetAsPrematureClose";
	}

}
