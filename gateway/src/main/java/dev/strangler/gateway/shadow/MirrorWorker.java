package dev.strangler.gateway.shadow;

import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.EventLoopGroup;

/**
 * Sends the mirrors that are ready, each on one of the shadow path's own event loops
 * (never one that serves clients), where its calls then run from start to end.
 *
 * <p>
 * The hand-off is a task on that loop's queue, and the queue is bounded by admission: a
 * mirror holds its {@link ShadowLimiter} slot from the moment the client's request is
 * sampled, while it waits for legacy, here, in flight and while it is compared, so at
 * most {@code strangler.shadow.max-in-flight} mirrors exist at any time. A request that
 * finds no slot is dropped and counted, never queued.
 */
final class MirrorWorker {

	private final EventLoopGroup loops;

	/**
	 * Creates the worker.
	 * @param loops the shadow path's event loops, the ones its HTTP client runs on
	 */
	MirrorWorker(EventLoopGroup loops) {
		this.loops = loops;
	}

	/**
	 * Hands a ready mirror over; returns at once.
	 * @param mirror the mirror, whose request body and legacy response are settled
	 */
	void submit(Mirror mirror) {
		try {
			this.loops.next().execute(mirror::send);
		}
		catch (RejectedExecutionException ex) {
			// the gateway is stopping
			mirror.fail(null, ex);
		}
	}

	@Override
	public String toString() {
		return "MirrorWorker[loops=" + this.loops + "]";
	}

}
