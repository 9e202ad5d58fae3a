package dev.strangler.gateway.shadow;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import dev.strangler.gateway.buffer.BodyBudget;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Copies the bytes of a body as they pass, up to a limit, without consuming the buffers
 * (they still go to their real destination). Past the limit it keeps nothing more and
 * reports itself overflowed. The bytes kept are taken from the gateway-wide
 * {@link BodyBudget}; when it cannot spare them, the copy stops as if over the limit. Fed
 * by one subscriber at a time, as Reactive Streams guarantees for {@code onNext}.
 */
final class BoundedBytes {

	private final long limit;

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private final BodyBudget.Reservation budget;

	private long seen;

	private boolean overBudget;

	BoundedBytes(long limit, BodyBudget.Reservation budget) {
		this.limit = limit;
		this.budget = budget;
	}

	/**
	 * Copies a buffer's readable bytes, leaving its read position untouched.
	 * @param buffer the buffer passing by
	 * @return {@code false} once the limit has been passed
	 */
	synchronized boolean append(DataBuffer buffer) {
		int count = buffer.readableByteCount();
		if (this.overBudget) {
			return false;
		}
		this.seen += count;
		if (this.seen > this.limit) {
			this.bytes.reset();
			return false;
		}
		if (!this.budget.tryGrow(count, BodyBudget.Feature.MIRROR)) {
			this.overBudget = true;
			this.bytes.reset();
			return false;
		}
		ByteBuffer copy = ByteBuffer.allocate(count);
		buffer.toByteBuffer(buffer.readPosition(), copy, 0, count);
		this.bytes.write(copy.array(), 0, count);
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
	 * Whether the copy stopped because the gateway-wide body budget was spent.
	 * @return {@code true} if so
	 */
	synchronized boolean overBudget() {
		return this.overBudget;
	}

	/**
	 * The bytes copied so far (empty once overflowed).
	 * @return a copy of the bytes
	 */
	synchronized byte[] toByteArray() {
		return this.bytes.toByteArray();
	}

	@Override
	public synchronized String toString() {
		return "BoundedBytes[seen=" + this.seen + ", limit=" + this.limit + "]";
	}

}
