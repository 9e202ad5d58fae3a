package dev.strangler.gateway.shadow;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link BoundedBytes} keeps of a body passing by, and that it lets go of every
 * buffer however it ends.
 */
class BoundedBytesTests {

	private final NettyDataBufferFactory netty = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

	@Test
	void keepsDuplicatesWithoutCopyingOrMovingTheBuffersReadPosition() {
		ByteBuf first = buffer("hello ");
		ByteBuf second = buffer("world");
		BoundedBytes kept = new BoundedBytes(64);

		assertThat(kept.append(this.netty.wrap(first))).isTrue();
		assertThat(kept.append(this.netty.wrap(second))).isTrue();

		assertThat(first.readerIndex()).isZero();
		assertThat(first.refCnt()).as("retained by the duplicate").isEqualTo(2);
		// the real destination writes and releases its buffers; the duplicates still read
		first.skipBytes(first.readableBytes()).release();
		second.skipBytes(second.readableBytes()).release();
		assertThat(new String(kept.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("hello world");
		assertThat(kept.size()).isEqualTo(11);

		kept.release();
		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
	}

	@Test
	void pastTheLimitItLetsGoOfEverythingAndSaysSo() {
		ByteBuf first = buffer("12345");
		ByteBuf second = buffer("678");
		BoundedBytes kept = new BoundedBytes(6);

		kept.append(this.netty.wrap(first));
		assertThat(kept.append(this.netty.wrap(second))).isFalse();

		assertThat(kept.overflowed()).isTrue();
		assertThat(kept.toByteArray()).isEmpty();
		assertThat(first.refCnt()).as("let go of at once").isEqualTo(1);
		assertThat(second.refCnt()).isEqualTo(1);
		first.release();
		second.release();
	}

	@Test
	void afterReleaseNothingIsKeptAnyMore() {
		BoundedBytes kept = new BoundedBytes(64);
		kept.release();
		ByteBuf late = buffer("late");

		assertThat(kept.append(this.netty.wrap(late))).isTrue();

		assertThat(late.refCnt()).as("a late buffer of a cancelled stream is not retained").isEqualTo(1);
		assertThat(kept.toByteArray()).isEmpty();
		kept.release();
		late.release();
	}

	@Test
	void theBodyToSendSharesTheBytesAndIsReleasedByItsWriter() {
		ByteBuf first = buffer("ab");
		ByteBuf second = buffer("cd");
		BoundedBytes kept = new BoundedBytes(64);
		kept.append(this.netty.wrap(first));
		kept.append(this.netty.wrap(second));

		ByteBuf body = kept.retainedBody();
		assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("abcd");
		body.release();
		kept.release();
		first.release();
		second.release();

		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
	}

	@Test
	void buffersNotFromNettyAreCopied() {
		DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.wrap("plain".getBytes(StandardCharsets.UTF_8));
		BoundedBytes kept = new BoundedBytes(64);

		kept.append(buffer);

		assertThat(new String(kept.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("plain");
		assertThat(buffer.readPosition()).isZero();
		kept.release();
	}

	private static ByteBuf buffer(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
	}

}
