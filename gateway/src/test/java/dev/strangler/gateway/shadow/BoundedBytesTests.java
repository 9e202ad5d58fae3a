package dev.strangler.gateway.shadow;

import java.nio.charset.StandardCharsets;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.buffer.BodyBudget.Feature;
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
	void bodyIsWholeWhenEveryDeclaredByteWentBy() {
		BoundedBytes kept = new BoundedBytes(64);
		kept.append(this.netty.wrap(buffer("12345")));

		assertThat(kept.holdsWhole(5)).isTrue();
		assertThat(kept.holdsWhole(6)).as("a byte still to come").isFalse();
		assertThat(kept.holdsWhole(-1)).as("length unknown (chunked)").isFalse();
		kept.release();
		assertThat(kept.holdsWhole(5)).as("let go of").isFalse();
	}

	@Test
	void bodyPastTheLimitIsNeverWhole() {
		BoundedBytes kept = new BoundedBytes(4);
		kept.append(this.netty.wrap(buffer("12345")));

		assertThat(kept.holdsWhole(5)).isFalse();
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

	@Test
	void theBytesKeptAreReservedFromTheBudgetAndGivenBackOnRelease() {
		BodyBudget budget = new BodyBudget(64);
		ByteBuf first = buffer("hello ");
		BoundedBytes kept = new BoundedBytes(64, budget.open());

		kept.append(this.netty.wrap(first));
		assertThat(budget.used()).isEqualTo(6);

		kept.release();
		assertThat(budget.used()).isZero();
		first.release();
	}

	@Test
	void pastTheLimitTheBytesGoBackToTheBudgetAtOnce() {
		BodyBudget budget = new BodyBudget(64);
		ByteBuf first = buffer("12345");
		ByteBuf second = buffer("678");
		BoundedBytes kept = new BoundedBytes(6, budget.open());

		kept.append(this.netty.wrap(first));
		kept.append(this.netty.wrap(second));

		assertThat(kept.overflowed()).isTrue();
		assertThat(kept.overBudget()).isFalse();
		assertThat(budget.used()).isZero();
		assertThat(budget.refused(Feature.MIRROR)).isZero();
		kept.release();
		first.release();
		second.release();
	}

	@Test
	void whenTheBudgetCannotHoldTheBytesItLetsGoOfEverythingAndSaysWhy() {
		BodyBudget budget = new BodyBudget(8);
		BodyBudget.Reservation other = budget.open();
		other.tryGrow(4, Feature.REPLAY);
		ByteBuf first = buffer("abc");
		ByteBuf second = buffer("def");
		BoundedBytes kept = new BoundedBytes(64, budget.open());

		assertThat(kept.append(this.netty.wrap(first))).isTrue();
		assertThat(kept.append(this.netty.wrap(second))).isFalse();

		assertThat(kept.overBudget()).isTrue();
		assertThat(kept.overflowed()).as("the copy is incomplete").isTrue();
		assertThat(kept.toByteArray()).isEmpty();
		assertThat(first.refCnt()).as("let go of at once").isEqualTo(1);
		assertThat(budget.used()).as("only the other reservation").isEqualTo(4);
		assertThat(budget.refused(Feature.MIRROR)).isEqualTo(1);
		assertThat(kept.append(this.netty.wrap(buffer("g")))).isFalse();
		kept.release();
		other.close();
		assertThat(budget.used()).isZero();
		first.release();
		second.release();
	}

	@Test
	void theSameBytesAreFoundTheSameHoweverTheyWereSplit() {
		BoundedBytes split = kept(64, "hello ", "world");
		BoundedBytes whole = kept(64, "hello world");

		assertThat(split.sameSmallBodyAs(whole, 64)).isTrue();
		assertThat(whole.sameSmallBodyAs(split, 64)).isTrue();
		assertThat(kept(64).sameSmallBodyAs(kept(64), 64)).as("both empty").isTrue();
	}

	@Test
	void theSameBytesSplitAtOtherPlacesOnEachSideAreTheSame() {
		BoundedBytes mine = kept(64, "hel", "lo wor", "", "ld");
		BoundedBytes theirs = kept(64, "hello ", "world");

		assertThat(mine.sameSmallBodyAs(theirs, 64)).isTrue();
		assertThat(theirs.sameSmallBodyAs(mine, 64)).isTrue();
		assertThat(mine.sameSmallBodyAs(kept(64, "hello ", "worlD"), 64)).as("differs in the last part").isFalse();
		assertThat(kept(64, "hel", "Lo world").sameSmallBodyAs(theirs, 64)).as("differs across a split").isFalse();
	}

	@Test
	void bodiesInDirectBuffersAreComparedWhereTheyLie() {
		String json = "{\"id\":7,\"name\":\"" + "x".repeat(4000) + "\"}";
		BoundedBytes direct = new BoundedBytes(8192);
		ByteBuf first = Unpooled.directBuffer().writeBytes(json.substring(0, 1500).getBytes(StandardCharsets.UTF_8));
		ByteBuf second = Unpooled.directBuffer().writeBytes(json.substring(1500).getBytes(StandardCharsets.UTF_8));
		direct.append(this.netty.wrap(first));
		direct.append(this.netty.wrap(second));
		first.release();
		second.release();

		assertThat(direct.sameSmallBodyAs(kept(8192, json), 8192)).isTrue();
		assertThat(kept(8192, json).sameSmallBodyAs(direct, 8192)).isTrue();
		assertThat(direct.sameSmallBodyAs(kept(8192, json.replace("\"x", "\"y")), 8192)).isFalse();
		direct.release();
		assertThat(first.refCnt()).as("the kept duplicates let go of").isZero();
	}

	@Test
	void oneDifferentByteOrLengthIsNotTheSame() {
		BoundedBytes kept = kept(64, "hello world");

		assertThat(kept.sameSmallBodyAs(kept(64, "hello World"), 64)).isFalse();
		assertThat(kept.sameSmallBodyAs(kept(64, "hello worl"), 64)).isFalse();
		assertThat(kept.sameSmallBodyAs(kept(64), 64)).isFalse();
	}

	@Test
	void onlyAWholeBodyUpToTheGivenSizeIsComparedSo() {
		assertThat(kept(64, "12345").sameSmallBodyAs(kept(64, "12345"), 4)).as("larger than asked").isFalse();
		assertThat(kept(4, "12345").sameSmallBodyAs(kept(4, "12345"), 64)).as("overflowed: only part kept").isFalse();
		BoundedBytes released = kept(64, "12345");
		released.release();
		assertThat(released.sameSmallBodyAs(kept(64), 64)).as("let go of, though empty now").isFalse();
		assertThat(kept(64).sameSmallBodyAs(released, 64)).isFalse();
	}

	@Test
	void comparingNeitherMovesNorKeepsTheBuffers() {
		ByteBuf mine = buffer("same");
		ByteBuf theirs = buffer("same");
		BoundedBytes kept = new BoundedBytes(64);
		BoundedBytes other = new BoundedBytes(64);
		kept.append(this.netty.wrap(mine));
		other.append(this.netty.wrap(theirs));

		assertThat(kept.sameSmallBodyAs(other, 64)).isTrue();

		assertThat(mine.refCnt()).as("the buffer's own and the kept duplicate's").isEqualTo(2);
		assertThat(theirs.refCnt()).isEqualTo(2);
		assertThat(new String(kept.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("same");
		kept.release();
		other.release();
		assertThat(mine.release()).isTrue();
		assertThat(theirs.release()).isTrue();
	}

	private BoundedBytes kept(int limit, String... parts) {
		BoundedBytes kept = new BoundedBytes(limit);
		for (String part : parts) {
			ByteBuf buffer = buffer(part);
			kept.append(this.netty.wrap(buffer));
			// as the real destination does once it has written it
			buffer.release();
		}
		return kept;
	}

	private static ByteBuf buffer(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
	}

}
