package dev.strangler.gateway.routing;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;

import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Keeps the gateway's response timeout on one backend connection: from the moment a
 * request's head is written until its response's head arrives. When it runs out, the call
 * fails as Spring Cloud Gateway's own timeout fails it (a {@code 504} with "Response took
 * longer than timeout") and the connection is closed, as Netty's
 * {@code ReadTimeoutHandler} closes it.
 *
 * <p>
 * Why not Spring Cloud Gateway's: it puts Reactor's {@code timeout} on every call, which
 * schedules two delays per call on the parallel scheduler's timer queue (a lock shared by
 * all event loops) and cancels them again, and allocates the operators each time. This
 * handler is installed once per connection and re-armed lazily, as Netty's idle handlers
 * are: per call it only writes a deadline; at most one check per connection is scheduled
 * on its own event loop, and when it fires early (its call answered, a later one running)
 * it waits for what is left of the later one.
 *
 * <p>
 * Which calls have a timeout, and how long, each call says in its Reactor context
 * ({@link BackendResponseTimeout}).
 */
final class BackendResponseDeadline extends ChannelDuplexHandler {

	/** Its name in the pipeline. */
	static final String NAME = "strangler.responseDeadline";

	private final ToLongFunction<Channel> timeoutOf;

	private final LongSupplier nanoTime;

	/** Whether a request's response head is awaited under a timeout. */
	private boolean armed;

	private long timeoutNanos;

	private long deadlineNanos;

	private ScheduledFuture<?> check;

	private long checkAtNanos;

	BackendResponseDeadline() {
		this(BackendResponseTimeout::nanosOf, System::nanoTime);
	}

	BackendResponseDeadline(ToLongFunction<Channel> timeoutOf, LongSupplier nanoTime) {
		this.timeoutOf = timeoutOf;
		this.nanoTime = nanoTime;
	}

	@Override
	public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
		if (message instanceof HttpRequest) {
			long timeout = this.timeoutOf.applyAsLong(context.channel());
			this.armed = timeout > 0;
			if (this.armed) {
				this.timeoutNanos = timeout;
				this.deadlineNanos = this.nanoTime.getAsLong() + timeout;
				if (this.check == null || this.deadlineNanos - this.checkAtNanos < 0) {
					schedule(context, timeout);
				}
			}
		}
		super.write(context, message, promise);
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) throws Exception {
		if (this.armed && message instanceof HttpResponse response && isFinal(response)) {
			this.armed = false;
		}
		super.channelRead(context, message);
	}

	/**
	 * Whether a response head ends the wait: any but an interim one
	 * ({@code 100 Continue}, {@code 102}, {@code 103}); {@code 101 Switching Protocols}
	 * ends it, the connection then carries a WebSocket.
	 */
	private static boolean isFinal(HttpResponse response) {
		return response.status().codeClass() != HttpStatusClass.INFORMATIONAL
				|| response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) throws Exception {
		cancel();
		super.channelInactive(context);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext context) {
		cancel();
	}

	private void schedule(ChannelHandlerContext context, long delayNanos) {
		cancel();
		this.checkAtNanos = this.nanoTime.getAsLong() + delayNanos;
		this.check = context.executor().schedule(() -> check(context), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void check(ChannelHandlerContext context) {
		this.check = null;
		if (!this.armed || !context.channel().isOpen()) {
			// Answered in time: the next request arms the check again.
			return;
		}
		long left = this.deadlineNanos - this.nanoTime.getAsLong();
		if (left > 0) {
			// A later request's deadline: wait for what is left of it.
			schedule(context, left);
			return;
		}
		this.armed = false;
		String message = "Response took longer than timeout: " + Duration.ofNanos(this.timeoutNanos);
		context.fireExceptionCaught(
				new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, message, new TimeoutException(message)));
		context.close();
	}

	private void cancel() {
		if (this.check != null) {
			this.check.cancel(false);
			this.check = null;
		}
	}

	@Override
	public String toString() {
		return "BackendResponseDeadline[armed=" + this.armed + "]";
	}

}
