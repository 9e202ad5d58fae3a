package dev.strangler.gateway.observe;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

/**
 * Hands the access log's lines to the console (or file) appenders on a thread of its own,
 * in batches, the way nginx writes its access log through a buffer flushed at an
 * interval: the event loop only puts the line in a bounded queue and never waits for the
 * output, nor wakes a thread. A console gets each batch in one write
 * ({@link ConsoleBatch}); other outputs line by line.
 * <p>
 * Why not Logback's {@code AsyncAppender}: its worker waits on the queue, so every line
 * put in while it waits wakes it up, which at a line per request is a thread wake-up and
 * a context switch per request (measured: about one {@code futex} call per request on the
 * event loop and a wake-up of the worker for nearly every line). This worker sleeps for
 * {@link #FLUSH_INTERVAL} and then writes whatever has gathered; it is woken early when
 * {@link #BATCH_LINES} lines have gathered (or half the queue, if that is fewer). A line
 * therefore reaches the output up to {@link #FLUSH_INTERVAL} after its request ended.
 * <p>
 * Why a batch is bounded by lines as well as by time: a queued line is a Logback event of
 * about a kilobyte (its key-value pairs, arguments and MDC), alive until written. At
 * 25,000 requests a second a 100-ms round held some 2,500 of them, which every young
 * collection found alive, copied to a survivor space and, once that overflowed, promoted
 * to the old generation (measured on the cache-hit bench: about 2.4 MB surviving each
 * collection, see docs/benchmarks.md). Woken every {@link #BATCH_LINES} lines, the worker
 * keeps that to a few hundred kilobytes at any rate, for one wake-up per batch, not per
 * line.
 * <p>
 * When the output cannot keep up and the queue is full, a line is dropped rather than the
 * request delayed, and counted ({@code strangler.access.dropped}).
 *
 * <pre class="code">
 * AccessLogAppender appender = new AccessLogAppender(8192, new LongAdder());
 * appender.addAppender(console);
 * appender.start();
 * </pre>
 */
final class AccessLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
		implements AppenderAttachable<ILoggingEvent> {

	/** The appender's name in the Logback configuration. */
	static final String NAME = "STRANGLER_ACCESS_ASYNC";

	/** The longest a line waits in the queue while fewer than a batch have gathered. */
	static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

	/**
	 * The lines gathered that wake the worker before its flush interval is over: about 64
	 * KiB of console output, one console write.
	 */
	static final int BATCH_LINES = 256;

	/** How long {@link #stop()} waits for the queued lines to be written. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

	private final AppenderAttachableImpl<ILoggingEvent> outputs = new AppenderAttachableImpl<>();

	private final ArrayBlockingQueue<ILoggingEvent> queue;

	private final int wakeAt;

	private final long flushIntervalNanos;

	private final LongAdder dropped;

	private final LongAdder batches = new LongAdder();

	/** Used by the worker only. */
	private final ConsoleBatch consoleBatch = new ConsoleBatch(
			(ex) -> addError("Access log line not written to the console", ex));

	private volatile Thread worker;

	/**
	 * Creates the appender; add the appenders it feeds, then start it.
	 * @param queueSize the most lines held
	 * @param dropped counts the lines dropped
	 */
	AccessLogAppender(int queueSize, LongAdder dropped) {
		this(queueSize, BATCH_LINES, FLUSH_INTERVAL, dropped);
	}

	/**
	 * Creates the appender with its own batch size and flush interval (for tests).
	 * @param queueSize the most lines held
	 * @param batchLines the lines gathered that wake the worker early
	 * @param flushInterval the longest a line waits when fewer have gathered
	 * @param dropped counts the lines dropped
	 */
	AccessLogAppender(int queueSize, int batchLines, Duration flushInterval, LongAdder dropped) {
		this.queue = new ArrayBlockingQueue<>(queueSize);
		this.wakeAt = Math.max(1, Math.min(queueSize / 2, batchLines));
		this.flushIntervalNanos = flushInterval.toNanos();
		this.dropped = dropped;
		setName(NAME);
	}

	@Override
	public void start() {
		if (isStarted()) {
			return;
		}
		Thread thread = new Thread(this::writeBatches, "strangler-access-log");
		thread.setDaemon(true);
		this.worker = thread;
		super.start();
		thread.start();
	}

	@Override
	public void stop() {
		if (!isStarted()) {
			return;
		}
		super.stop();
		Thread thread = this.worker;
		LockSupport.unpark(thread);
		try {
			// The worker writes what is still queued before it ends.
			thread.join(STOP_TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// The outputs are the root logger's (console, file): they stay started.
	}

	@Override
	protected void append(ILoggingEvent event) {
		// What belongs to the request's thread is taken now: its name and the MDC (trace
		// ids). The message is formatted on the worker: the access line's arguments are
		// immutable values (AccessLog).
		event.getThreadName();
		event.getMDCPropertyMap();
		if (!this.queue.offer(event)) {
			this.dropped.increment();
			return;
		}
		// Nobody waits on the queue, so offering wakes no one: the worker is only woken
		// early once a batch has gathered (unparking a thread that is already awake is
		// cheap: no system call).
		if (this.queue.size() >= this.wakeAt) {
			LockSupport.unpark(this.worker);
		}
	}

	private void writeBatches() {
		List<ILoggingEvent> batch = new ArrayList<>(Math.min(this.queue.remainingCapacity(), 1024));
		while (isStarted()) {
			if (this.queue.drainTo(batch) == 0) {
				LockSupport.parkNanos(this, this.flushIntervalNanos);
				continue;
			}
			write(batch);
		}
		// Stopped: what was queued before is still written.
		this.queue.drainTo(batch);
		write(batch);
	}

	private void write(List<ILoggingEvent> batch) {
		if (batch.isEmpty()) {
			return;
		}
		this.batches.increment();
		for (Iterator<Appender<ILoggingEvent>> it = this.outputs.iteratorForAppenders(); it.hasNext();) {
			Appender<ILoggingEvent> output = it.next();
			if (ConsoleBatch.supports(output)) {
				writeTogether(output, batch);
			}
			else {
				writeOneByOne(output, batch);
			}
		}
		batch.clear();
	}

	private void writeTogether(Appender<ILoggingEvent> console, List<ILoggingEvent> batch) {
		try {
			this.consoleBatch.write(console, batch);
		}
		catch (IOException | RuntimeException ex) {
			addError("Access log lines not written to " + console.getName(), ex);
		}
	}

	private void writeOneByOne(Appender<ILoggingEvent> output, List<ILoggingEvent> batch) {
		for (ILoggingEvent event : batch) {
			try {
				output.doAppend(event);
			}
			catch (RuntimeException ex) {
				addError("Access log line not written to " + output.getName(), ex);
			}
		}
	}

	/**
	 * Whether the worker sleeps out its flush interval, for tests.
	 * @return {@code true} while the worker is parked waiting for lines
	 */
	boolean sleeping() {
		Thread thread = this.worker;
		return thread != null && LockSupport.getBlocker(thread) == this;
	}

	/**
	 * The batches written so far, for tests.
	 * @return how many times the worker wrote
	 */
	long batches() {
		return this.batches.sum();
	}

	@Override
	public void addAppender(Appender<ILoggingEvent> appender) {
		this.outputs.addAppender(appender);
	}

	@Override
	public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
		return this.outputs.iteratorForAppenders();
	}

	@Override
	public Appender<ILoggingEvent> getAppender(String name) {
		return this.outputs.getAppender(name);
	}

	@Override
	public boolean isAttached(Appender<ILoggingEvent> appender) {
		return this.outputs.isAttached(appender);
	}

	@Override
	public void detachAndStopAllAppenders() {
		this.outputs.detachAndStopAllAppenders();
	}

	@Override
	public boolean detachAppender(Appender<ILoggingEvent> appender) {
		return this.outputs.detachAppender(appender);
	}

	@Override
	public boolean detachAppender(String name) {
		return this.outputs.detachAppender(name);
	}

	@Override
	public String toString() {
		return "AccessLogAppender[queue=" + (this.queue.size() + this.queue.remainingCapacity()) + ", dropped="
				+ this.dropped.sum() + "]";
	}

}
