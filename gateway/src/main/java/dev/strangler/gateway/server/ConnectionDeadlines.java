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
 * The two deadlines of one client connection, kept by one timer: how long a client may
 * take to send a request head ({@code strangler.edge.request-head-timeout}, nginx's
 * {@code client_header_timeout}) and how long a keep-alive connection may sit idle
 * between requests ({@code strangler.edge.idle-timeout}, nginx's
 * {@code keepalive_timeout}).
 * <p>
 * The head's clock starts with the first bytes read while no request is in progress and
 * stops when the codec has decoded the head. A client that trickles its head byte by byte
 * (slowloris) is bounded by it; on expiry the client gets a {@code 408} problem, or only
 * a close when an earlier response on the connection is still being written, and the
 * connection is closed. The idle clock runs while no request is in progress: from the
 * connection's start, and from the end of each exchange (the request read and the
 * response written, whichever is later) until the next request's first bytes; on expiry
 * the connection is closed silently, as HTTP/1.1 allows between requests.
 *
 * <p>
 * One instance per connection, in two places of its pipeline: {@link #bytes()} before the
 * HTTP codec sees the raw reads, {@link #messages()} after it sees the decoded requests
 * and the responses written. Cost: a few field writes per request and at most one
 * scheduled check per connection at a time, re-armed lazily as {@code ReadTimeoutHandler}
 * does rather than once per request: a check that finds its deadline moved on re-arms for
 * what is left. Reactor Netty's own idle timeout, by contrast, adds a handler to the
 * pipeline after every response and removes it on the next request, scheduling and
 * cancelling a timer each time. Every check is armed at most {@code period} (the shorter
 * timeout) ahead, so a deadline that starts later is never checked late. After a switch
 * of protocols (WebSocket) neither deadline applies.
 */
final class ConnectionDeadlines {

	private final long headTimeoutNanos;

	private final long idleTimeoutNanos;

	/** The furthest ahead a check is armed: the shorter of the two timeouts. */
	private final long periodNanos;

	private final EdgeProblem headTimedOut;

	private final LongSupplier nanoTime;

	private final Bytes bytes = new Bytes();

	private final Messages messages = new Messages();

	/** Whether no request head has begun since the last request was read to its end. */
	private boolean awaitingHead = true;

	/** Whether bytes of a request head have been read but the head is not decoded yet. */
	private boolean inHead;

	private long headStartedNanos;

	/** Whether no request is in progress: read to its end and answered. */
	private boolean idle;

	private long idleSinceNanos;

	private ScheduledFuture<?> timer;

	/** Request heads decoded on this connection. */
	private long requests;

	/** Final responses ended ({@link LastHttpContent} written) on this connection. */
	private long responsesEnded;

	private boolean expired;

	/** Whether the connection switched protocols (WebSocket): no more request heads. */
	private boolean switched;

	ConnectionDeadlines(Duration headTimeout, Duration idleTimeout, EdgeProblem headTimedOut, LongSupplier nanoTime) {
		this.headTimeoutNanos = headTimeout.toNanos();
		this.idleTimeoutNanos = idleTimeout.toNanos();
		this.periodNanos = Math.min(this.headTimeoutNanos, this.idleTimeoutNanos);
		this.headTimedOut = headTimedOut;
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

	private void bytesRead() {
		if (this.awaitingHead && !this.switched) {
			this.awaitingHead = false;
			this.idle = false;
			this.inHead = true;
			this.headStartedNanos = this.nanoTime.getAsLong();
			armUnlessPending();
		}
	}

	/** Starts the idle clock once the request is read to its end and answered. */
	private void idleIfDone() {
		if (this.awaitingHead && this.responsesEnded >= this.requests && !this.switched && !this.idle) {
			this.idle = true;
			this.idleSinceNanos = this.nanoTime.getAsLong();
			armUnlessPending();
		}
	}

	/** Arms a check unless one is pending: a pending one is never later than a period. */
	private void armUnlessPending() {
		if (this.timer == null) {
			arm(this.periodNanos);
		}
	}

	private void arm(long delayNanos) {
		ChannelHandlerContext context = this.messages.context;
		this.timer = context.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
	}

	private void check() {
		this.timer = null;
		if (this.switched || !this.messages.context.channel().isActive()) {
			return;
		}
		if (this.inHead) {
			long left = this.headTimeoutNanos - (this.nanoTime.getAsLong() - this.headStartedNanos);
			if (left <= 0) {
				expireHead();
				return;
			}
			arm(Math.min(left, this.periodNanos));
		}
		else if (this.idle) {
			long left = this.idleTimeoutNanos - (this.nanoTime.getAsLong() - this.idleSinceNanos);
			if (left <= 0) {
				this.messages.context.channel().close();
				return;
			}
			arm(Math.min(left, this.periodNanos));
		}
		// Otherwise a request is in progress: no deadline runs; armed again when one
		// starts.
	}

	private void expireHead() {
		this.expired = true;
		this.inHead = false;
		ChannelHandlerContext context = this.messages.context;
		if (this.responsesEnded < this.requests) {
			// An earlier response is still being written: a 408 cannot be put in its
			// middle.
			context.close();
			return;
		}
		this.headTimedOut.answer(context).addListener(ChannelFutureListener.CLOSE);
	}

	private void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	private final class Bytes extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext context) {
			idleIfDone();
			context.fireChannelActive();
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (ConnectionDeadlines.this.expired) {
				ReferenceCountUtil.release(message);
				return;
			}
			if (message instanceof ByteBuf) {
				bytesRead();
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
			return "ConnectionDeadlines.Bytes[head=" + Duration.ofNanos(ConnectionDeadlines.this.headTimeoutNanos)
					+ ", idle=" + Duration.ofNanos(ConnectionDeadlines.this.idleTimeoutNanos) + "]";
		}

	}

	private final class Messages extends ChannelDuplexHandler {

		private ChannelHandlerContext context;

		/** Whether the response being written is an interim one (100 Continue, 103). */
		private boolean writingInterim;

		@Override
		public void handlerAdded(ChannelHandlerContext context) {
			this.context = context;
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (message instanceof HttpRequest) {
				ConnectionDeadlines.this.requests++;
				ConnectionDeadlines.this.inHead = false;
			}
			if (message instanceof LastHttpContent) {
				ConnectionDeadlines.this.awaitingHead = true;
				idleIfDone();
			}
			context.fireChannelRead(message);
		}

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
			if (message instanceof HttpResponse response) {
				int status = response.status().code();
				if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
					ConnectionDeadlines.this.switched = true;
					ConnectionDeadlines.this.idle = false;
					cancel();
				}
				this.writingInterim = status < 200 && status != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
			}
			if (message instanceof LastHttpContent && !this.writingInterim) {
				ConnectionDeadlines.this.responsesEnded++;
				idleIfDone();
			}
			super.write(context, message, promise);
		}

		@Override
		public String toString() {
			return "ConnectionDeadlines.Messages";
		}

	}

}
