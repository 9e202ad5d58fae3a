package dev.strangler.gateway.resilience;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * Reads the first part of a target response body (up to a limit, or all of it) before
 * anything is relayed, so a response that breaks off early (a malformed chunk, a closed
 * connection) is still a failure the request can fall back from. What follows the first
 * part streams through as usual.
 */
final class CheckedBody {

	private CheckedBody() {
	}

	/**
	 * Reads a response body's first part, for the filter chain's writer.
	 * @param connection the target connection whose response body is still unread
	 * @param factory the client response's buffer factory
	 * @param limit how many bytes at most to hold before relaying
	 * @return the whole body to relay, available once the first part arrived intact; a
	 * {@link TargetFailure.BadResponseException} when it did not
	 */
	static Mono<Flux<DataBuffer>> read(Connection connection, DataBufferFactory factory, long limit) {
		NettyDataBufferFactory netty = (factory instanceof NettyDataBufferFactory nettyFactory) ? nettyFactory
				: new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);
		return readBuffers(connection, limit).map((body) -> body.map(netty::wrap));
	}

	/**
	 * Reads a response body's first part, as Netty's buffers.
	 * @param connection the target connection whose response body is still unread
	 * @param limit how many bytes at most to hold before relaying
	 * @return the whole body to relay (each buffer released by whoever writes it),
	 * available once the first part arrived intact; a
	 * {@link TargetFailure.BadResponseException} when it did not
	 */
	static Mono<Flux<ByteBuf>> readBuffers(Connection connection, long limit) {
		// retain(): receive() releases each buffer once onNext returns, these are kept.
		Flux<ByteBuf> body = connection.inbound().receive().retain();
		return body.bufferUntil(new BeyondLimit(limit))
			.doOnDiscard(ByteBuf.class, CheckedBody::release)
			// false: the rest of the body is relayed later, completing the lookahead must
			// not cancel it.
			.switchOnFirst((first, all) -> first.isOnError()
					? Mono.<Flux<ByteBuf>>error(new TargetFailure.BadResponseException(first.getThrowable()))
					: Mono.just(all.concatMapIterable(Function.<List<ByteBuf>>identity())), false)
			.single();
	}

	private static void release(ByteBuf buffer) {
		// as DataBufferUtils.release: a buffer already let go of is left alone
		if (buffer.refCnt() > 0) {
			buffer.release();
		}
	}

	/**
	 * True from the buffer that takes the body past the limit on, so the first list holds
	 * everything up to there and each later buffer is passed on alone.
	 */
	private static final class BeyondLimit implements Predicate<ByteBuf> {

		private final long limit;

		private long seen;

		BeyondLimit(long limit) {
			this.limit = limit;
		}

		@Override
		public boolean test(ByteBuf buffer) {
			this.seen += buffer.readableBytes();
			return this.seen > this.limit;
		}

	}

}
