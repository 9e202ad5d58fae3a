package dev.strangler.gateway.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses a request body over {@code strangler.edge.max-request-body} with a {@code 413}
 * problem, without buffering it: up front when the {@code Content-Length} is over the
 * limit (nothing is forwarded), or as the bytes arrive for a chunked body (the request
 * already forwarded is cut off; the backend sees its connection closed before the body
 * ended, so it never gets a complete request).
 *
 * <p>
 * One instance per connection, which counts the bytes of the current request's body and
 * the responses started, so that the 413 is only written when no response to this request
 * has begun; otherwise the connection is closed. After the 413 the rest of the body is
 * read and dropped until it ends (or {@link #DRAIN} has passed), then the connection is
 * closed: closing with unread bytes would make the kernel send a reset, which can destroy
 * the 413 before the client reads it. Every later write of the refused exchange is
 * dropped.
 */
final class RequestBodyLimit extends ChannelDuplexHandler {

	/** Longest time the rest of a refused body is read and dropped (nginx: 5 s). */
	static final Duration DRAIN = Duration.ofSeconds(5);

	private final long limit;

	private final EdgeProblem tooLarge;

	/** Bytes of the current request's body so far. */
	private long received;

	/** Request heads read on this connection. */
	private long requests;

	/** Final (not 1xx) response heads written on this connection. */
	private long responses;

	private boolean refusing;

	private boolean bodyEnded;

	private boolean answered;

	RequestBodyLimit(long limit, EdgeProblem tooLarge) {
		this.limit = limit;
		this.tooLarge = tooLarge;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (this.refusing) {
			drop(context, message);
			return;
		}
		if (message instanceof HttpRequest request) {
			this.requests++;
			this.received = 0;
			if (HttpUtil.getContentLength(request, -1L) > this.limit) {
				refuse(context, message);
				return;
			}
		}
		if (message instanceof HttpContent content) {
			this.received += content.content().readableBytes();
			if (this.received > this.limit) {
				refuse(context, message);
				return;
			}
		}
		context.fireChannelRead(message);
	}

	private void refuse(ChannelHandlerContext context, Object message) {
		this.refusing = true;
		this.bodyEnded = message instanceof LastHttpContent;
		ReferenceCountUtil.release(message);
		// Only if every earlier request is answered and this one's answer has not begun.
		if (this.responses != this.requests - 1) {
			context.close();
			return;
		}
		// Reactor Netty reads on demand; nobody asks for the rest of this body but us.
		context.channel().config().setAutoRead(true);
		context.read();
		this.tooLarge.answer(context).addListener((written) -> {
			this.answered = true;
			if (this.bodyEnded || !written.isSuccess()) {
				context.close();
			}
			else {
				context.executor().schedule(() -> context.close(), DRAIN.toMillis(), TimeUnit.MILLISECONDS);
			}
		});
	}

	private void drop(ChannelHandlerContext context, Object message) {
		if (message instanceof LastHttpContent) {
			this.bodyEnded = true;
			if (this.answered) {
				context.close();
			}
		}
		ReferenceCountUtil.release(message);
		if (!this.bodyEnded) {
			context.read();
		}
	}

	@Override
	public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
		if (this.refusing) {
			// The refused exchange may still answer: its answer is replaced by the 413.
			ReferenceCountUtil.release(message);
			promise.setSuccess();
			return;
		}
		if (message instanceof HttpResponse response
				&& response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
			this.responses++;
		}
		super.write(context, message, promise);
	}

	@Override
	public String toString() {
		return "RequestBodyLimit[" + this.limit + " bytes]";
	}

}
