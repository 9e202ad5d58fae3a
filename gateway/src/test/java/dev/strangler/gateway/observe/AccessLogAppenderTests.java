package dev.strangler.gateway.observe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AccessLogAppenderTests {

	private final LoggerContext context = new LoggerContext();

	private final CountDownLatch release = new CountDownLatch(1);

	private final SlowOutput output = new SlowOutput(this.release);

	private final LongAdder dropped = new LongAdder();

	private final AccessLogAppender appender = new AccessLogAppender(1, this.dropped);

	@AfterEach
	void stop() {
		this.release.countDown();
		this.appender.stop();
	}

	@Test
	void aFullQueueDropsLinesWithoutWaitingAndCountsThem() {
		start();
		this.appender.doAppend(line("first"));
		// The worker took the first line and waits on the output; the queue is empty.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.output.entered.getCount() == 0);
		this.appender.doAppend(line("second"));

		long start = System.nanoTime();
		this.appender.doAppend(line("third"));
		this.appender.doAppend(line("fourth"));
		long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

		assertThat(this.dropped.sum()).isEqualTo(2);
		assertThat(waitedMillis).as("the caller never waits for the output").isLessThan(1_000);
		this.release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.output.messages.size() == 2);
		assertThat(this.output.messages).containsExactly("first", "second");
	}

	@Test
	void linesThatFitAreAllWrittenInOrderAndNoneCountsAsDropped() {
		this.release.countDown();
		start();

		for (int i = 0; i < 50; i++) {
			this.appender.doAppend(line("line " + i));
			int written = i + 1;
			await().atMost(Duration.ofSeconds(10)).until(() -> this.output.messages.size() == written);
		}

		assertThat(this.dropped.sum()).isZero();
		assertThat(this.output.messages).hasSize(50).startsWith("line 0", "line 1").endsWith("line 49");
	}

	@Test
	void linesPutInWhileTheWorkerSleepsAreWrittenTogetherWithoutWakingItPerLine() {
		AccessLogAppender roomy = new AccessLogAppender(1024, this.dropped);
		this.release.countDown();
		start(roomy);

		// Far fewer than half the queue, faster than the flush interval: no early
		// wake-up.
		for (int i = 0; i < 100; i++) {
			roomy.doAppend(line("line " + i));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.output.messages.size() == 100);
		roomy.stop();

		assertThat(this.output.messages).startsWith("line 0", "line 1").endsWith("line 99");
		assertThat(roomy.batches()).as("one write round per flush interval, not one per line").isLessThan(10);
		assertThat(this.dropped.sum()).isZero();
	}

	@Test
	void aGatheredBatchWakesTheWorkerBeforeItsFlushInterval() {
		AccessLogAppender batched = asleepWithNineOfTenLines();
		assertThat(batched.sleeping()).as("nine lines wake no one").isTrue();

		batched.doAppend(line("line 9"));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.output.messages.size() == 10);
		assertThat(this.output.messages).startsWith("line 0").endsWith("line 9");
		assertThat(batched.batches()).as("the ten lines written together").isEqualTo(1);
		batched.stop();
	}

	@Test
	void fewerLinesThanABatchWaitForTheFlushInterval() {
		AccessLogAppender batched = asleepWithNineOfTenLines();

		// Nothing wakes the worker: the lines stay queued until it stops (which writes
		// them).
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(1))
			.until(() -> this.output.messages.isEmpty());
		batched.stop();
		assertThat(this.output.messages).hasSize(9).endsWith("line 8");
	}

	/**
	 * An appender woken by batches of ten lines, with a flush interval no test waits out,
	 * whose worker went to sleep before nine lines were put in.
	 */
	private AccessLogAppender asleepWithNineOfTenLines() {
		AccessLogAppender batched = new AccessLogAppender(1024, 10, Duration.ofHours(1), this.dropped);
		this.release.countDown();
		start(batched);
		await().atMost(Duration.ofSeconds(10)).until(batched::sleeping);
		for (int i = 0; i < 9; i++) {
			batched.doAppend(line("line " + i));
		}
		return batched;
	}

	@Test
	void stoppingWritesTheLinesStillQueued() {
		AccessLogAppender roomy = new AccessLogAppender(1024, this.dropped);
		this.release.countDown();
		start(roomy);
		for (int i = 0; i < 20; i++) {
			roomy.doAppend(line("line " + i));
		}

		roomy.stop();

		assertThat(this.output.messages).hasSize(20).endsWith("line 19");
		assertThat(this.output.isStarted()).as("the console stays the root logger's").isTrue();
	}

	@Test
	void theMessageIsFormattedOnTheWorkerNotOnTheRequestsThread() {
		this.release.countDown();
		start();
		List<String> formattedOn = new CopyOnWriteArrayList<>();
		Object argument = new Object() {
			@Override
			public String toString() {
				formattedOn.add(Thread.currentThread().getName());
				return "GET /x 200";
			}
		};

		this.appender.doAppend(new LoggingEvent(Logger.FQCN, this.context.getLogger(AccessLog.LOGGER), Level.INFO,
				"line {}", null, new Object[] { argument }));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.output.messages.size() == 1);
		assertThat(this.output.messages).containsExactly("line GET /x 200");
		assertThat(formattedOn).containsOnly("strangler-access-log");
	}

	private void start() {
		start(this.appender);
	}

	private void start(AccessLogAppender appender) {
		// Lines are prepared for the worker thread with their MDC.
		this.context.setMDCAdapter(new LogbackMDCAdapter());
		this.output.setName("slow");
		this.output.setContext(this.context);
		this.output.start();
		appender.setContext(this.context);
		appender.addAppender(this.output);
		appender.start();
	}

	private ILoggingEvent line(String message) {
		Logger logger = this.context.getLogger(AccessLog.LOGGER);
		return new LoggingEvent(Logger.FQCN, logger, Level.INFO, message, null, null);
	}

	/** An output that waits until released, like a console nobody reads. */
	private static final class SlowOutput extends AppenderBase<ILoggingEvent> {

		final List<String> messages = new CopyOnWriteArrayList<>();

		final CountDownLatch entered = new CountDownLatch(1);

		private final CountDownLatch release;

		SlowOutput(CountDownLatch release) {
			this.release = release;
		}

		@Override
		protected void append(ILoggingEvent event) {
			this.entered.countDown();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.messages.add(event.getFormattedMessage());
		}

	}

}
