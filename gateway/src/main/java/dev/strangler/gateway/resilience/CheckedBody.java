package dev.strangler.gateway.resilience;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import io.netty.buffer.ByteBufAllocator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
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
	 * Reads a response body's first part.
	 * @param connection the target connection whose response body is still unread
	 * @param factory the client response's buffer factory
	 * @param limit how many bytes at most to hold before relaying
	 * @return the whole body to relay, available once the first part arrived intact; a
	 * {@link TargetFailure.BadResponseException} when it did not
	 */
	static Mono<Flux<DataBuffer>> read(Connection connection, DataBufferFactory factory, long limit) {
		NettyDataBufferFactory netty = (factory instanceof NettyDataBufferFactory nettyFactory) ? nettyFactory
				: new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);
		// retain(): receive() releases each buffer once onNext returns, these are kept.
		Flux<DataBuffer> body = connection.inbound().receive().retain().map(netty::wrap);
		return body.bufferUntil(new BeyondLimit(limit))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			// false: the rest of the body is relayed later, completing the lookahead must
			// not cancel it.
			.switchOnFirst((first, all) -> first.isOnError()
					? Mono.<Flux<DataBuffer>>error(new TargetFailure.BadResponseException(first.getThrowable()))
					: Mono.just(all.concatMapIterable(Function.<List<DataBuffer>>identity())), false)
			.single();
	}

	/**
	 * True from the buffer that takes the body past the limit on, so the first list holds
	 * everything up to there and each later buffer is passed on alone.
	 */
	private static final class BeyondLimit implements Predicate<DataBuffer> {

		private final long limit;

		private long seen;

		BeyondLimit(long limit) {
			this.limit = limit;
		}

		@Override
		public boolean test(DataBuffer buffer) {
			this.seen += buffer.readableByteCount();
			return this.seen > this.limit;
		}

	}

}
