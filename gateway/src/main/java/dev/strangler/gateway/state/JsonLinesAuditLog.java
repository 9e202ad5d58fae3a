package dev.strangler.gateway.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strangler.gateway.state.OverrideJson.InvalidJsonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link AuditLog}: {@code audit.jsonl} in the state directory, one JSON
 * object per line, only ever appended to.
 *
 * <pre>{@code
 * AuditLog audit = new JsonLinesAuditLog(Path.of("data"));
 * audit.recent(20).forEach(entry -> System.out.println(entry.who() + " " + entry.action()));
 * }</pre>
 *
 * <p>
 * Each entry is written with one write call and forced to disk before {@link #append}
 * returns. A crash in the middle of an append leaves a partial last line: readers skip it
 * (and any other line that is not a valid entry) without losing the others, and the next
 * append starts on a fresh line so it cannot be glued to the fragment. Reads keep only
 * the last {@code limit} entries in memory.
 */
public final class JsonLinesAuditLog implements AuditLog {

	/** The file name inside the state directory. */
	public static final String FILE_NAME = "audit.jsonl";

	private static final Set<String> FIELDS = Set.of("who", "when", "routeId", "action", "reason", "before", "after");

	private static final Logger logger = LoggerFactory.getLogger(JsonLinesAuditLog.class);

	private final Path file;

	private final Object appendLock = new Object();

	/**
	 * Opens the audit log; the file is created on the first append.
	 * @param directory the state directory; created when missing
	 * @throws StateFileException when the directory cannot be created
	 */
	public JsonLinesAuditLog(Path directory) {
		this.file = directory.resolve(FILE_NAME);
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw StateFileException.unwritable(this.file, ex);
		}
	}

	@Override
	public void append(AuditEntry entry) {
		String json = toJson(entry);
		synchronized (this.appendLock) {
			try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND)) {
				// Start on a fresh line so that a fragment left by a crash stays a line
				// of
				// its own, skipped by readers, instead of swallowing this entry.
				String line = (endsInsideALine() ? "\n" : "") + json + "\n";
				ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(false);
			}
			catch (IOException ex) {
				throw StateFileException.unwritable(this.file, ex);
			}
		}
	}

	@Override
	public List<AuditEntry> recent(int limit) {
		return recent(limit, (entry) -> true);
	}

	@Override
	public List<AuditEntry> recent(String routeId, int limit) {
		Objects.requireNonNull(routeId, "routeId");
		return recent(limit, (entry) -> entry.routeId().equals(routeId));
	}

	/**
	 * Returns the file this log appends to.
	 * @return the path of {@value #FILE_NAME}
	 */
	public Path file() {
		return this.file;
	}

	@Override
	public String toString() {
		return "JsonLinesAuditLog[" + this.file + "]";
	}

	private List<AuditEntry> recent(int limit, Predicate<AuditEntry> filter) {
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative but was " + limit);
		}
		if (limit == 0) {
			return List.of();
		}
		Deque<AuditEntry> newestFirst = new ArrayDeque<>(Math.min(limit, 1024));
		int skipped = 0;
		// InputStreamReader replaces malformed bytes (a line cut inside a multi-byte
		// character) instead of failing the whole read as Files.newBufferedReader would.
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(Files.newInputStream(this.file), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.isBlank()) {
					continue;
				}
				Optional<AuditEntry> entry = parse(line);
				if (entry.isEmpty()) {
					skipped++;
				}
				else if (filter.test(entry.get())) {
					newestFirst.addFirst(entry.get());
					if (newestFirst.size() > limit) {
						newestFirst.removeLast();
					}
				}
			}
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			throw StateFileException.unreadable(this.file, ex);
		}
		if (skipped > 0) {
			logger.warn("Skipped {} unreadable line(s) of {} (a crash during an append leaves one)", skipped,
					this.file);
		}
		return new ArrayList<>(newestFirst);
	}

	/**
	 * Tells whether the file ends without a newline, as a crash during an append leaves
	 * it. Read through its own channel: the JDK does not open a channel for both read and
	 * append.
	 */
	private boolean endsInsideALine() throws IOException {
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size == 0) {
				return false;
			}
			ByteBuffer last = ByteBuffer.allocate(1);
			channel.read(last, size - 1);
			return last.get(0) != '\n';
		}
		catch (NoSuchFileException ex) {
			return false;
		}
	}

	static String toJson(AuditEntry entry) {
		ObjectNode node = OverrideJson.MAPPER.createObjectNode();
		node.put("when", entry.when().toString());
		node.put("who", entry.who());
		node.put("routeId", entry.routeId());
		node.put("action", entry.action().name().toLowerCase(Locale.ROOT));
		node.put("reason", entry.reason());
		node.set("before", entry.before().<JsonNode>map(OverrideJson::write).orElse(node.nullNode()));
		node.set("after", entry.after().<JsonNode>map(OverrideJson::write).orElse(node.nullNode()));
		return node.toString();
	}

	private Optional<AuditEntry> parse(String line) {
		try {
			return Optional.of(read(line));
		}
		catch (IOException | InvalidJsonException | IllegalArgumentException ex) {
			logger.debug("Unreadable line in {}: {}", this.file, ex.getMessage());
			return Optional.empty();
		}
	}

	static AuditEntry read(String json) throws IOException, InvalidJsonException {
		JsonNode node = OverrideJson.MAPPER.readTree(json);
		OverrideJson.requireObject(node, "$", FIELDS);
		String routeId = OverrideJson.text(node, "routeId", "$");
		String action = OverrideJson.text(node, "action", "$");
		return new AuditEntry(OverrideJson.text(node, "who", "$"), OverrideJson.instant(node, "when", "$"), routeId,
				AuditEntry.Action.valueOf(action.toUpperCase(Locale.ROOT)), OverrideJson.text(node, "reason", "$"),
				override(routeId, node.get("before"), "$.before"), override(routeId, node.get("after"), "$.after"));
	}

	private static Optional<RouteOverride> override(String routeId, JsonNode node, String path)
			throws InvalidJsonException {
		if (node == null || node.isNull()) {
			return Optional.empty();
		}
		return Optional.of(OverrideJson.read(routeId, node, path));
	}

}
