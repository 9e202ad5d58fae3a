package dev.strangler.gateway.observe;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleBatchTests {

	/**
	 * Marks this test's lines: other threads of the test JVM may write to the console
	 * too.
	 */
	private static final String MARK = "console-batch-test ";

	private final LoggerContext context = new LoggerContext();

	private final Writes writes = new Writes();

	private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();

	private final ConsoleBatch consoleBatch = new ConsoleBatch(this.failures::add);

	private PrintStream originalOut;

	@BeforeEach
	void captureSystemOut() {
		// A ConsoleAppender writes to whatever System.out is when it writes.
		this.originalOut = System.out;
		System.setOut(new PrintStream(this.writes, true, StandardCharsets.UTF_8));
	}

	@AfterEach
	void restoreSystemOut() {
		System.setOut(this.originalOut);
	}

	@Test
	void aBatchReachesTheConsoleInOneWriteAsItsEncoderFormatsEachLine() throws Exception {
		ConsoleAppender<ILoggingEvent> console = console();
		List<ILoggingEvent> batch = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			batch.add(line(Level.INFO, "line " + i));
		}

		this.consoleBatch.write(console, batch);

		assertThat(this.writes.ours()).hasSize(1);
		String[] lines = this.writes.ours().get(0).split("\n");
		assertThat(lines).hasSize(100);
		assertThat(lines[0]).isEqualTo("INFO " + MARK + "line 0");
		assertThat(lines[99]).isEqualTo("INFO " + MARK + "line 99");
	}

	@Test
	void aBatchLargerThanAChunkIsCutBetweenLines() throws Exception {
		ConsoleAppender<ILoggingEvent> console = console();
		String padding = "x".repeat(1000);
		List<ILoggingEvent> batch = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			batch.add(line(Level.INFO, i + " " + padding));
		}

		this.consoleBatch.write(console, batch);

		// 100 lines of about 1 KiB: the first write ends after the line that passes 64
		// KiB.
		assertThat(this.writes.ours()).hasSize(2);
		assertThat(this.writes.ours().get(0).length()).isGreaterThanOrEqualTo(ConsoleBatch.CHUNK_BYTES)
			.isLessThan(ConsoleBatch.CHUNK_BYTES + 1100);
		assertThat(this.writes.ours()).allSatisfy((write) -> assertThat(write).endsWith("\n").startsWith("INFO "));
		assertThat(String.join("", this.writes.ours()).split("\n")).hasSize(100);
	}

	@Test
	void linesTheConsolesFiltersDenyAreLeftOut() throws Exception {
		ConsoleAppender<ILoggingEvent> console = console();
		ThresholdFilter infoAndAbove = new ThresholdFilter();
		infoAndAbove.setLevel("INFO");
		infoAndAbove.start();
		console.addFilter(infoAndAbove);

		this.consoleBatch.write(console,
				List.of(line(Level.INFO, "kept"), line(Level.DEBUG, "denied"), line(Level.WARN, "kept too")));

		assertThat(this.writes.ours()).containsExactly("INFO " + MARK + "kept\nWARN " + MARK + "kept too\n");
	}

	@Test
	void aLineTheEncoderCannotFormatIsLeftOutAndReportedAndTheOthersAreWritten() throws Exception {
		ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
		console.setContext(this.context);
		PatternLayoutEncoder failing = new PatternLayoutEncoder() {
			@Override
			public byte[] encode(ILoggingEvent event) {
				if (event.getMessage().endsWith("unformattable")) {
					throw new IllegalStateException("cannot format");
				}
				return super.encode(event);
			}
		};
		failing.setContext(this.context);
		failing.setPattern("%msg%n");
		failing.start();
		console.setEncoder(failing);
		console.start();

		this.consoleBatch.write(console,
				List.of(line(Level.INFO, "before"), line(Level.INFO, "unformattable"), line(Level.INFO, "after")));

		assertThat(this.writes.ours()).containsExactly(MARK + "before\n" + MARK + "after\n");
		assertThat(this.failures).singleElement().extracting(RuntimeException::getMessage).isEqualTo("cannot format");
	}

	@Test
	void theAccessLogsWorkerWritesEachBatchToTheConsoleOnceAndOtherOutputsLineByLine() {
		this.context.setMDCAdapter(new LogbackMDCAdapter());
		ListAppender<ILoggingEvent> file = new ListAppender<>();
		file.setContext(this.context);
		file.start();
		AccessLogAppender accessLog = new AccessLogAppender(1024, new LongAdder());
		accessLog.setContext(this.context);
		accessLog.addAppender(console());
		accessLog.addAppender(file);
		accessLog.start();

		for (int i = 0; i < 100; i++) {
			accessLog.doAppend(line(Level.INFO, "line " + i));
		}
		accessLog.stop();

		String[] lines = String.join("", this.writes.ours()).split("\n");
		assertThat(lines).hasSize(100);
		assertThat(lines[0]).isEqualTo("INFO " + MARK + "line 0");
		assertThat(lines[99]).isEqualTo("INFO " + MARK + "line 99");
		assertThat(this.writes.ours()).as("one write per batch").hasSize((int) accessLog.batches());
		assertThat(file.list).hasSize(100);
	}

	@Test
	void onlyAStartedPlainConsoleWithAnEncoderIsWrittenInBatches() {
		assertThat(ConsoleBatch.supports(console())).isTrue();

		ConsoleAppender<ILoggingEvent> stopped = console();
		stopped.stop();
		assertThat(ConsoleBatch.supports(stopped)).isFalse();

		ConsoleAppender<ILoggingEvent> subclass = new ConsoleAppender<>() {
		};
		subclass.setContext(this.context);
		subclass.setEncoder(encoder());
		subclass.start();
		assertThat(ConsoleBatch.supports(subclass)).as("a subclass may write differently").isFalse();

		ListAppender<ILoggingEvent> list = new ListAppender<>();
		list.start();
		assertThat(ConsoleBatch.supports(list)).isFalse();
	}

	private ConsoleAppender<ILoggingEvent> console() {
		ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
		console.setContext(this.context);
		console.setEncoder(encoder());
		console.start();
		return console;
	}

	private PatternLayoutEncoder encoder() {
		PatternLayoutEncoder encoder = new PatternLayoutEncoder();
		encoder.setContext(this.context);
		encoder.setPattern("%level %msg%n");
		encoder.start();
		return encoder;
	}

	private ILoggingEvent line(Level level, String message) {
		Logger logger = this.context.getLogger(AccessLog.LOGGER);
		return new LoggingEvent(Logger.FQCN, logger, level, MARK + message, null, null);
	}

	/** Every write call that reaches the stream, as text. */
	private static final class Writes extends OutputStream {

		private final List<String> all = new CopyOnWriteArrayList<>();

		@Override
		public void write(int b) {
			this.all.add(String.valueOf((char) b));
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			this.all.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
		}

		List<String> ours() {
			return this.all.stream().filter((write) -> write.contains(MARK)).toList();
		}

	}

}
