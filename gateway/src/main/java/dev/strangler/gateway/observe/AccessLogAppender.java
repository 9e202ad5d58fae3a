package dev.strangler.gateway.observe;

import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Hands the access log's lines to the console (or file) appenders on a thread of its own,
 * the way nginx logs through a buffer: the event loop only puts the line in a bounded
 * queue and never waits for the output. When the output cannot keep up and the queue is
 * full, a line is dropped rather than the request delayed, and counted
 * ({@code strangler.access.dropped}).
 *
 * <pre class="code">
 * AccessLogAppender appender = new AccessLogAppender(8192, new LongAdder());
 * appender.addAppender(console);
 * appender.start();
 * </pre>
 */
final class AccessLogAppender extends AsyncAppender {

	/** The appender's name in the Logback configuration. */
	static final String NAME = "STRANGLER_ACCESS_ASYNC";

	private final LongAdder dropped;

	/**
	 * Creates the appender; add the appenders it feeds, then start it.
	 * @param queueSize the most lines held
	 * @param dropped counts the lines dropped
	 */
	AccessLogAppender(int queueSize, LongAdder dropped) {
		this.dropped = dropped;
		setName(NAME);
		setQueueSize(queueSize);
		// Never wait for room in the queue, and never drop an INFO line early: every
		// line is kept unless the queue is full.
		setNeverBlock(true);
		setDiscardingThreshold(0);
		// Caller data (class, line) is not in the access line's format.
		setIncludeCallerData(false);
	}

	@Override
	protected void append(ILoggingEvent event) {
		// AsyncAppender drops silently when the queue is full; the check makes the drop
		// visible. Two threads racing for the last slot may let one drop go uncounted.
		if (getRemainingCapacity() == 0) {
			this.dropped.increment();
			return;
		}
		super.append(event);
	}

	@Override
	public String toString() {
		return "AccessLogAppender[queue=" + getQueueSize() + ", dropped=" + this.dropped.sum() + "]";
	}

}
