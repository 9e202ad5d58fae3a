package dev.strangler.gateway.observe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Writes a batch of access lines to a Logback console appender's stream with one write
 * per {@link #CHUNK_BYTES}, where the appender itself would write, and flush, once per
 * line: {@code System.out} flushes on every write, so a line per request was a
 * {@code write(2)} per request. The lines are the appender's own: its encoder formats
 * them and its filters decide which it takes, as when it appends them one by one.
 * <p>
 * Only a plain {@link ConsoleAppender} without Jansi qualifies: its stream is
 * {@code System.out} or {@code System.err}, whose {@code PrintStream} serializes writes,
 * so a batch written while another logger's line is written never interleaves with it
 * within a line. Other appenders (files, which roll over between lines) get each line
 * through their own {@code doAppend}. Used only on the access log's worker thread.
 */
final class ConsoleBatch {

	/** The most bytes written in one call: a batch is cut between lines beyond it. */
	static final int CHUNK_BYTES = 64 * 1024;

	private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK_BYTES + 1024);

	private final Consumer<RuntimeException> lineFailed;

	/**
	 * Creates the writer of one appender's batches.
	 * @param lineFailed told of a line the console's encoder could not format: that line
	 * is left out, the others are written
	 */
	ConsoleBatch(Consumer<RuntimeException> lineFailed) {
		this.lineFailed = lineFailed;
	}

	/**
	 * Whether {@link #write} can take the lines meant for this appender.
	 * @param output one of the access log's outputs
	 * @return whether it is a started plain console appender with an encoder
	 */
	static boolean supports(Appender<ILoggingEvent> output) {
		return output.getClass() == ConsoleAppender.class && output instanceof ConsoleAppender<ILoggingEvent> console
				&& console.isStarted() && !console.isWithJansi() && console.getEncoder() != null
				&& console.getOutputStream() != null;
	}

	/**
	 * Encodes the lines the console takes and writes them to its stream in as few writes
	 * as {@link #CHUNK_BYTES} allows.
	 * @param output an appender {@link #supports} accepted
	 * @param batch the lines, oldest first
	 * @throws IOException when the stream refuses a write (what was written stays; the
	 * rest of the batch is not written to this console)
	 */
	void write(Appender<ILoggingEvent> output, List<ILoggingEvent> batch) throws IOException {
		ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) output;
		Encoder<ILoggingEvent> encoder = console.getEncoder();
		OutputStream stream = console.getOutputStream();
		this.chunk.reset();
		try {
			for (ILoggingEvent event : batch) {
				byte[] line = encode(console, encoder, event);
				if (line == null) {
					continue;
				}
				this.chunk.writeBytes(line);
				if (this.chunk.size() >= CHUNK_BYTES) {
					writeChunk(stream);
				}
			}
			writeChunk(stream);
		}
		finally {
			this.chunk.reset();
		}
	}

	private byte[] encode(ConsoleAppender<ILoggingEvent> console, Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
		try {
			return (console.getFilterChainDecision(event) != FilterReply.DENY) ? encoder.encode(event) : null;
		}
		catch (RuntimeException ex) {
			this.lineFailed.accept(ex);
			return null;
		}
	}

	private void writeChunk(OutputStream stream) throws IOException {
		if (this.chunk.size() == 0) {
			return;
		}
		this.chunk.writeTo(stream);
		stream.flush();
		this.chunk.reset();
	}

}
