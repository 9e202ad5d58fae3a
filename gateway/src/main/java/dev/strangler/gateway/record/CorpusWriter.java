package dev.strangler.gateway.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Appends recordings to one JSON-lines file per route (named after the route:
 * {@code catalog.jsonl}) on a thread of its own, so that no client request ever waits for
 * a disk.
 *
 * <ul>
 * <li>{@link #offer} never blocks: a recording that does not fit in the bounded queue is
 * dropped and counted ({@code strangler.record.dropped{reason=queue-full}}).</li>
 * <li>A file never grows beyond {@code maxBytes}: the line that would cross the bound is
 * dropped ({@code reason=file-full}) and so are all later ones of that route, until the
 * file is moved away and the gateway restarted. Stopping, rather than rotating, keeps the
 * corpus a faithful prefix of the traffic.</li>
 * <li>A write that fails is dropped and counted ({@code reason=write-error}).</li>
 * </ul>
 */
final class CorpusWriter implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(CorpusWriter.class);

	private static final ObjectMapper JSON = JsonMapper.builder()
		.addModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.build();

	private final Path dir;

	private final long maxBytes;

	private final BlockingQueue<RecordedRequest> queue;

	private final MeterRegistry registry;

	private final Thread thread;

	// Owned by the writer thread only.
	private final Map<String, FileChannel> files = new HashMap<>();

	private final Set<String> full = new HashSet<>();

	private final AtomicBoolean started = new AtomicBoolean();

	private volatile boolean closed;

	CorpusWriter(Path dir, long maxBytes, int queueCapacity, MeterRegistry registry) {
		if (maxBytes < 1) {
			throw new IllegalArgumentException("maxBytes must be at least 1 but was " + maxBytes);
		}
		this.dir = dir;
		this.maxBytes = maxBytes;
		this.queue = new ArrayBlockingQueue<>(queueCapacity);
		this.registry = registry;
		this.thread = new Thread(this::run, "strangler-record-writer");
		this.thread.setDaemon(true);
	}

	/**
	 * Hands a recording over for writing, without blocking.
	 * @param recording what to write
	 * @return whether it was queued
	 */
	boolean offer(RecordedRequest recording) {
		if (!this.started.get() && this.started.compareAndSet(false, true)) {
			// started on first use: a gateway that records nothing runs no writer thread
			this.thread.start();
		}
		if (this.closed || !this.queue.offer(recording)) {
			dropped(recording.route(), "queue-full");
			return false;
		}
		return true;
	}

	/**
	 * The corpus file of a route.
	 * @param routeId the route id
	 * @return its path
	 */
	Path file(String routeId) {
		return this.dir.resolve(routeId + ".jsonl");
	}

	private void run() {
		while (!this.closed || !this.queue.isEmpty()) {
			try {
				RecordedRequest recording = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (recording != null) {
					write(recording);
				}
			}
			catch (InterruptedException ex) {
				// close() interrupts only after setting closed: drain what is queued,
				// then end
				Thread.interrupted();
			}
			catch (RuntimeException ex) {
				logger.warn("Recording writer failed: " + ex.getMessage(), ex);
			}
		}
		this.files.values().forEach(CorpusWriter::closeQuietly);
	}

	private void write(RecordedRequest recording) {
		String route = recording.route();
		if (this.full.contains(route)) {
			dropped(route, "file-full");
			return;
		}
		try {
			byte[] line = line(recording);
			FileChannel file = channel(route);
			if (file.size() + line.length > this.maxBytes) {
				this.full.add(route);
				logger.warn("Recording of route '" + route + "' stopped: " + file(route) + " reached "
						+ "strangler.record.max-bytes (" + this.maxBytes
						+ " bytes); move the file away to record more");
				dropped(route, "file-full");
				return;
			}
			ByteBuffer buffer = ByteBuffer.wrap(line);
			while (buffer.hasRemaining()) {
				file.write(buffer);
			}
			Counter.builder("strangler.record.recorded")
				.description("Requests written to a corpus file")
				.tag("route", route)
				.register(this.registry)
				.increment();
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Cannot write recording of route '" + route + "' to " + file(route) + ": " + ex.getMessage());
			dropped(route, "write-error");
		}
	}

	private static byte[] line(RecordedRequest recording) {
		try {
			byte[] json = JSON.writeValueAsBytes(recording);
			byte[] line = new byte[json.length + 1];
			System.arraycopy(json, 0, line, 0, json.length);
			line[json.length] = '\n';
			return line;
		}
		catch (JsonProcessingException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private FileChannel channel(String route) throws IOException {
		FileChannel channel = this.files.get(route);
		if (channel == null) {
			Files.createDirectories(this.dir);
			// Appends to what an earlier run recorded: the bound covers the whole file.
			channel = FileChannel.open(file(route), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND);
			this.files.put(route, channel);
		}
		return channel;
	}

	private void dropped(String route, String reason) {
		Counter.builder("strangler.record.dropped")
			.description("Recordings not written: queue full, file at its size bound, or write error")
			.tag("route", route)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// nothing left to do: every complete line is already written
		}
	}

	/**
	 * Writes what is queued, then stops the writer thread.
	 */
	@Override
	public void close() {
		this.closed = true;
		if (!this.started.get()) {
			return;
		}
		this.thread.interrupt();
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "CorpusWriter[dir=" + this.dir + ", maxBytes=" + this.maxBytes + ", queueCapacity="
				+ (this.queue.size() + this.queue.remainingCapacity()) + "]";
	}

}
