package dev.strangler.gateway.shadow;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.strangler.gateway.buffer.BodyBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.lang.Nullable;

/**
 * Keeps the bytes of a body as they pass, up to a limit, without copying them and without
 * consuming the buffers (they still go to their real destination): each Netty buffer is
 * kept as a {@linkplain ByteBuf#retainedDuplicate() retained duplicate}, which shares the
 * memory and has read positions of its own. Past the limit it lets go of everything and
 * reports itself overflowed.
 *
 * <p>
 * Given a {@link BodyBudget.Reservation}, the bytes kept are taken from the gateway-wide
 * budget as they arrive (the only work this adds on the event loop); when the budget
 * cannot spare them it lets go of everything, as past the limit, and reports itself
 * {@linkplain #overBudget() over budget}. The bytes go back to the budget as soon as they
 * are let go of: overflow, over budget or {@link #release()}.
 *
 * <p>
 * The bytes are copied once, by {@link #toByteArray()}, where the comparison runs (never
 * on an event loop serving clients), or sent as they are by {@link #retainedBody()}. The
 * owner must {@link #release()} it whatever happens; everything after that is a no-op, so
 * a late buffer from a cancelled stream can never leak.
 */
final class BoundedBytes {

	private static final byte[] NONE = new byte[0];

	private final long limit;

	private final List<ByteBuf> kept = new ArrayList<>(2);

	@Nullable
	private final BodyBudget.Reservation budget;

	private long seen;

	private boolean overBudget;

	private boolean released;

	/**
	 * Keeps bytes outside any budget.
	 * @param limit the most bytes kept
	 */
	BoundedBytes(long limit) {
		this(limit, null);
	}

	/**
	 * Keeps bytes taken from the gateway-wide budget.
	 * @param limit the most bytes kept
	 * @param budget where the bytes kept are reserved, closed when they are let go of;
	 * {@code null} for none
	 */
	BoundedBytes(long limit, @Nullable BodyBudget.Reservation budget) {
		this.limit = limit;
		this.budget = budget;
	}

	/**
	 * Keeps a buffer's readable bytes, leaving the buffer itself untouched.
	 * @param buffer the buffer passing by
	 * @return {@code false} once the limit has been passed
	 */
	boolean append(DataBuffer buffer) {
		if (buffer instanceof NettyDataBuffer netty) {
			return append(netty.getNativeBuffer());
		}
		// not from Netty (tests, other servers): a copy is all that can be kept
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, bytes.length);
		ByteBuf copy = Unpooled.wrappedBuffer(bytes);
		try {
			return append(copy);
		}
		finally {
			copy.release();
		}
	}

	/**
	 * Keeps a buffer's readable bytes, leaving the buffer itself untouched.
	 * @param buffer the buffer passing by
	 * @return {@code false} once the limit has been passed or the budget was spent
	 */
	synchronized boolean append(ByteBuf buffer) {
		if (this.overBudget) {
			return false;
		}
		int count = buffer.readableBytes();
		this.seen += count;
		if (this.seen > this.limit) {
			releaseKept();
			return false;
		}
		if (!this.released) {
			if (this.budget != null && !this.budget.tryGrow(count, BodyBudget.Feature.MIRROR)) {
				this.overBudget = true;
				releaseKept();
				return false;
			}
			this.kept.add(buffer.retainedDuplicate());
		}
		return true;
	}

	/**
	 * Whether more than the limit went by.
	 * @return {@code true} if the copy is incomplete
	 */
	synchronized boolean overflowed() {
		return this.seen > this.limit || this.overBudget;
	}

	/**
	 * Whether every byte of a body of known length went by and is kept: the body is whole
	 * even if its end was never signalled.
	 * @param declaredLength the body's {@code Content-Length}, negative if unknown
	 * @return {@code true} if exactly that many bytes were kept
	 */
	synchronized boolean holdsWhole(long declaredLength) {
		return declaredLength >= 0 && this.seen == declaredLength && !overflowed() && !this.released;
	}

	/**
	 * Whether the bytes were let go of because the gateway-wide body budget was spent.
	 * @return {@code true} if so
	 */
	synchronized boolean overBudget() {
		return this.overBudget;
	}

	/**
	 * How many bytes are kept.
	 * @return the count (0 once overflowed or released)
	 */
	synchronized int size() {
		int size = 0;
		for (ByteBuf buffer : this.kept) {
			size += buffer.readableBytes();
		}
		return size;
	}

	/**
	 * Whether this holds a whole body of at most {@code max} bytes that is byte for byte
	 * the one another holds: compared where the bytes lie, without copying them.
	 * @param other the other body
	 * @param max the most bytes either may hold for the answer to be {@code true}
	 * @return {@code false} too when either body is incomplete (overflowed, over budget)
	 * or released, or larger than {@code max}
	 */
	boolean sameSmallBodyAs(BoundedBytes other, int max) {
		ByteBuf[] mine = smallWholeBody(max);
		if (mine == null) {
			return false;
		}
		try {
			ByteBuf[] theirs = other.smallWholeBody(max);
			if (theirs == null) {
				return false;
			}
			try {
				return sameBytes(mine, theirs);
			}
			finally {
				release(theirs);
			}
		}
		finally {
			release(mine);
		}
	}

	/**
	 * The buffers of the body, retained, if it is whole and at most {@code max} bytes.
	 * @param max the most bytes
	 * @return the buffers, which the caller releases; {@code null} if the body is not
	 * whole or larger
	 */
	@Nullable
	private synchronized ByteBuf[] smallWholeBody(int max) {
		if (this.released || overflowed() || size() > max) {
			return null;
		}
		ByteBuf[] parts = new ByteBuf[this.kept.size()];
		for (int i = 0; i < parts.length; i++) {
			parts[i] = this.kept.get(i).retainedDuplicate();
		}
		return parts;
	}

	/**
	 * Whether two bodies, each in the buffers it arrived in, are the same bytes however
	 * they were split: compared range by range where the bytes lie, by the JDK's
	 * vectorised {@link ByteBuffer#mismatch}. Netty's {@code ByteBufUtil.equals} compares
	 * eight bytes at a time, and byte by byte through a composite buffer: a few
	 * microseconds for a 16 KB body on the mirror's event loop (JMH
	 * {@code shadow.SameBytesBenchmark}).
	 */
	private static boolean sameBytes(ByteBuf[] mine, ByteBuf[] theirs) {
		if (readable(mine) != readable(theirs)) {
			return false;
		}
		int i = 0;
		int j = 0;
		int at = start(mine, i);
		int theirAt = start(theirs, j);
		while (i < mine.length && j < theirs.length) {
			ByteBuf part = mine[i];
			ByteBuf theirPart = theirs[j];
			int count = Math.min(part.writerIndex() - at, theirPart.writerIndex() - theirAt);
			if (count > 0 && part.nioBuffer(at, count).mismatch(theirPart.nioBuffer(theirAt, count)) != -1) {
				return false;
			}
			at += count;
			theirAt += count;
			// at least one part is used up: the smaller, or an empty one
			if (at == part.writerIndex()) {
				at = start(mine, ++i);
			}
			if (theirAt == theirPart.writerIndex()) {
				theirAt = start(theirs, ++j);
			}
		}
		return true;
	}

	private static long readable(ByteBuf[] parts) {
		long count = 0;
		for (ByteBuf part : parts) {
			count += part.readableBytes();
		}
		return count;
	}

	private static int start(ByteBuf[] parts, int index) {
		return (index < parts.length) ? parts[index].readerIndex() : 0;
	}

	private static void release(ByteBuf[] parts) {
		for (ByteBuf part : parts) {
			part.release();
		}
	}

	/**
	 * The bytes kept, copied once into an array.
	 * @return the bytes; empty once overflowed or released
	 */
	synchronized byte[] toByteArray() {
		int size = size();
		if (size == 0) {
			return NONE;
		}
		byte[] bytes = new byte[size];
		int at = 0;
		for (ByteBuf buffer : this.kept) {
			int count = buffer.readableBytes();
			buffer.getBytes(buffer.readerIndex(), bytes, at, count);
			at += count;
		}
		return bytes;
	}

	/**
	 * The bytes kept as one buffer that shares their memory, for sending; whoever writes
	 * it releases it (Reactor Netty does, once written or discarded).
	 * @return a new buffer over the same bytes; empty once overflowed or released
	 */
	synchronized ByteBuf retainedBody() {
		if (this.kept.isEmpty()) {
			return Unpooled.EMPTY_BUFFER;
		}
		if (this.kept.size() == 1) {
			return this.kept.get(0).retainedDuplicate();
		}
		ByteBuf[] parts = new ByteBuf[this.kept.size()];
		for (int i = 0; i < parts.length; i++) {
			parts[i] = this.kept.get(i).retainedDuplicate();
		}
		// the composite owns the duplicates: releasing it releases them
		return Unpooled.wrappedBuffer(parts.length, parts);
	}

	/** Lets go of the buffers; idempotent, and nothing is kept afterwards. */
	synchronized void release() {
		this.released = true;
		releaseKept();
	}

	private void releaseKept() {
		for (ByteBuf buffer : this.kept) {
			buffer.release();
		}
		this.kept.clear();
		if (this.budget != null) {
			this.budget.close();
		}
	}

	@Override
	public synchronized String toString() {
		return "BoundedBytes[seen=" + this.seen + ", limit=" + this.limit + ", overBudget=" + this.overBudget
				+ ", released=" + this.released + "]";
	}

}
