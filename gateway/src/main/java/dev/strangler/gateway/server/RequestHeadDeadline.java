package dev.strangler.gateway.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Bounds the time a client may take to send a request head
 * ({@code strangler.edge.request-head-timeout}, nginx's {@code client_header_timeout}):
 * the clock starts with the first bytes read while no request is in progress and stops
 * when the codec has decoded the head. A client that trickles its head byte by byte
 * (slowloris) keeps Reactor Netty's idle timeout from firing, never this deadline. On
 * expiry the client gets a {@code 408} problem, or only a close when an earlier response
 * on the connection is still being written, and the connection is closed.
 *
 * <p>
 * One instance per connection, in two places of its pipeline: {@link #bytes()} before the
 * HTTP codec sees the raw reads, {@link #messages()} after it sees the decoded requests
 * and the responses written. Cost: a field check per read, and at most one scheduled task
 * per connection at a time, re-armed lazily as {@code ReadTimeoutHandler} does rather
 * than once per request: when it fires early (the head it was armed for is done and a
 * later one began) it re-arms for what is left. After a switch of protocols (WebSocket)
 * the bytes are no request heads: the deadline no longer applies.
 */
final class RequestHeadDeadline {

	private final long timeoutNanos;

	private final EdgeProblem timedOut;

	private final LongSupplier nanoTime;

	private final Bytes bytes = new Bytes();

	private final Messages messages = new Messages();

	/** Whether no request head has begun since the last request's end. */
	private boolean awaitingHead = true;

	/** Whether bytes of a request head have been read but the head is not decoded yet. */
	private boolean inHead;

	private long headStartedNanos;

	private ScheduledFuture<?> timer;

	/** Request heads decoded on this connection. */
	private long requests;

	/** Responses ended ({@link LastHttpContent} written) on this connection. */
	private long responsesEnded;

	private boolean expired;

	/** Whether the connection switched protocols (WebSocket): no more request heads. */
	private boolean switched;

	RequestHeadDeadline(Duration timeout, EdgeProblem timedOut, LongSupplier nanoTime) {
		this.timeoutNanos = timeout.toNanos();
		this.timedOut = timedOut;
		this.nanoTime = nanoTime;
	}

	/**
	 * The handler that goes before the HTTP codec.
	 * @return the raw-bytes side
	 */
	ChannelInboundHandlerAdapter bytes() {
		return this.bytes;
	}

	/**
	 * The handler that goes after the HTTP codec.
	 * @return the decoded-messages side
	 */
	ChannelDuplexHandler messages() {
		return this.messages;
	}

	private void bytesRead(ChannelHandlerContext context) {
		if (this.awaitingHead && !this.switched) {
			this.awaitingHead = false;
			this.inHead = true;
			this.headStartedNanos = this.nanoTime.getAsLong();
			if (this.timer == null) {
				arm(context, this.timeoutNanos);
			}
		}
	}

	private void arm(ChannelHandlerContext context, long delayNanos) {
		this.timer = context.executor().schedule(() -> check(context), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void check(ChannelHandlerContext context) {
		this.timer = null;
		if (!this.inHead || !context.channel().isActive()) {
			return;
		}
		long left = this.timeoutNanos - (this.nanoTime.getAsLong() - this.headStartedNanos);
		if (left > 0) {
			arm(context, left);
			return;
		}
		expire();
	}

	private void expire() {
		this.expired = true;
		this.inHead = false;
		ChannelHandlerContext context = this.messages.context;
		if (this.responsesEnded < this.requests) {
			// An earlier response is still being written: a 408 cannot be put in its
			// middle.
			context.close();
			return;
		}
		this.timedOut.answer(context).addListener(ChannelFutureListener.CLOSE);
	}

	private void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	private final class Bytes extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (RequestHeadDeadline.this.expired) {
				ReferenceCountUtil.release(message);
				return;
			}
			if (message instanceof ByteBuf) {
				bytesRead(context);
			}
			context.fireChannelRead(message);
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			cancel();
			context.fireChannelInactive();
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext context) {
			cancel();
		}

		@Override
		public String toString() {
			return "RequestHeadDeadline.Bytes[" + Duration.ofNanos(RequestHeadDeadline.this.timeoutNanos) + "]";
		}

	}

	private final class Messages extends ChannelDuplexHandler {

		private ChannelHandlerContext context;

		@Override
		public void handlerAdded(ChannelHandlerContext context) {
			this.context = context;
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (message instanceof HttpRequest) {
				RequestHeadDeadline.this.requests++;
				RequestHeadDeadline.this.inHead = false;
			}
			if (message instanceof LastHttpContent) {
				RequestHeadDeadline.this.awaitingHead = true;
			}
			context.fireChannelRead(message);
		}

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
			if (message instanceof HttpResponse response
					&& response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
				RequestHeadDeadline.this.switched = true;
				cancel();
			}
			if (message instanceof LastHttpContent) {
				RequestHeadDeadline.this.responsesEnded++;
			}
			super.write(context, message, promise);
		}

		@Override
		public String toString() {
			return "RequestHeadDeadline.Messages";
		}

	}

}
