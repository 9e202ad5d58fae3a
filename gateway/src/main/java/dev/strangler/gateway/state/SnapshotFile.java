package dev.strangler.gateway.state;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strangler.gateway.state.OverrideJson.InvalidJsonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link OverrideSnapshot} kept in a JSON file, replaced atomically: the embedded
 * store's {@code overrides.json}, and the local copy a shared store keeps of the last
 * state it saw.
 *
 * <pre>{@code
 * SnapshotFile file = new SnapshotFile(Path.of("data/overrides.json"));
 * OverrideSnapshot snapshot = file.read().orElse(OverrideSnapshot.EMPTY);
 * file.write(next);
 * }</pre>
 *
 * <p>
 * A write goes to a temp file in the same directory, is fsynced, renamed over the file,
 * and the directory is fsynced, so a crash leaves either the old or the new file, never
 * half of one. A file that cannot be read, is not valid JSON of the expected shape, or
 * has a newer format version is reported with a message naming it, and never overwritten
 * by a read.
 */
public final class SnapshotFile {

	/** The format version this code writes and the newest it reads. */
	static final int FORMAT = 1;

	private static final Set<String> FIELDS = Set.of("format", "revision", "overrides", "revisions");

	private static final Logger logger = LoggerFactory.getLogger(SnapshotFile.class);

	private final Path file;

	private final Path directory;

	private final String tempPrefix;

	/**
	 * Names the file; nothing is read or written yet.
	 * @param file the file
	 */
	public SnapshotFile(Path file) {
		this.file = Objects.requireNonNull(file, "file");
		this.directory = file.toAbsolutePath().getParent();
		this.tempPrefix = file.getFileName() + ".";
	}

	/**
	 * Returns the file.
	 * @return the path
	 */
	public Path file() {
		return this.file;
	}

	/**
	 * Creates the directory when missing and removes temp files a crash left between
	 * write and rename (they never hold the state of record).
	 * @throws StateFileException when the directory cannot be created
	 */
	public void prepare() {
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw StateFileException.unreadable(this.file, ex);
		}
		try (DirectoryStream<Path> temps = Files.newDirectoryStream(this.directory,
				this.tempPrefix + "*" + AtomicFile.TEMP_SUFFIX)) {
			temps.forEach(AtomicFile::deleteQuietly);
		}
		catch (IOException ex) {
			logger.warn("Cannot list {} to remove stale temp files", this.directory, ex);
		}
	}

	/**
	 * Reads the file.
	 * @return the snapshot, empty when there is no file
	 * @throws StateFileException when the file cannot be read or is not valid
	 */
	public Optional<OverrideSnapshot> read() {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(this.file);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw StateFileException.unreadable(this.file, ex);
		}
		try {
			return Optional.of(parse(bytes));
		}
		catch (InvalidJsonException ex) {
			throw StateFileException.invalid(this.file, ex.getMessage());
		}
	}

	/**
	 * Replaces the file atomically.
	 * @param snapshot what to write
	 * @throws StateFileException when it cannot be written; the old file is then intact
	 */
	public void write(OverrideSnapshot snapshot) {
		ObjectNode root = OverrideJson.MAPPER.createObjectNode();
		root.put("format", FORMAT);
		root.put("revision", snapshot.revision());
		ObjectNode overrides = root.putObject("overrides");
		new TreeMap<>(snapshot.overrides())
			.forEach((routeId, override) -> overrides.set(routeId, OverrideJson.write(override)));
		if (!snapshot.routeRevisions().isEmpty()) {
			ObjectNode revisions = root.putObject("revisions");
			new TreeMap<>(snapshot.routeRevisions()).forEach(revisions::put);
		}
		try {
			AtomicFile.write(this.file, OverrideJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
		}
		catch (IOException ex) {
			throw StateFileException.unwritable(this.file, ex);
		}
	}

	@Override
	public String toString() {
		return "SnapshotFile[" + this.file + "]";
	}

	private static OverrideSnapshot parse(byte[] bytes) throws InvalidJsonException {
		if (bytes.length == 0) {
			throw new InvalidJsonException("the file is empty");
		}
		JsonNode root;
		try {
			root = OverrideJson.MAPPER.readTree(bytes);
		}
		catch (IOException ex) {
			String detail = (ex instanceof JsonProcessingException json) ? json.getOriginalMessage() : ex.getMessage();
			throw new InvalidJsonException("not JSON (" + detail + ")");
		}
		OverrideJson.requireObject(root, "$", FIELDS);
		JsonNode format = root.get("format");
		if (format == null || !format.canConvertToExactIntegral() || !format.canConvertToInt()) {
			throw new InvalidJsonException(
					"$.format must be a format version number (was " + OverrideJson.describe(format) + ")");
		}
		if (format.intValue() != FORMAT) {
			throw new InvalidJsonException(
					"format version " + format.intValue() + " is not supported by this gateway, which reads version "
							+ FORMAT + " (written by a newer gateway?)");
		}
		long revision = nonNegative(root.get("revision"), "$.revision");
		JsonNode overrides = root.get("overrides");
		if (overrides == null || !overrides.isObject()) {
			throw new InvalidJsonException(
					"$.overrides must be an object (was " + OverrideJson.describe(overrides) + ")");
		}
		Map<String, RouteOverride> byRoute = new TreeMap<>();
		for (Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields(); fields.hasNext();) {
			Map.Entry<String, JsonNode> field = fields.next();
			String path = "$.overrides." + field.getKey();
			byRoute.put(field.getKey(), OverrideJson.read(field.getKey(), field.getValue(), path));
		}
		// Optional: files written before route revisions existed have none (all at 0).
		Map<String, Long> routeRevisions = new TreeMap<>();
		JsonNode revisions = root.get("revisions");
		if (revisions != null) {
			if (!revisions.isObject()) {
				throw new InvalidJsonException(
						"$.revisions must be an object (was " + OverrideJson.describe(revisions) + ")");
			}
			for (Iterator<Map.Entry<String, JsonNode>> fields = revisions.fields(); fields.hasNext();) {
				Map.Entry<String, JsonNode> field = fields.next();
				routeRevisions.put(field.getKey(), nonNegative(field.getValue(), "$.revisions." + field.getKey()));
			}
		}
		return new OverrideSnapshot(revision, byRoute, routeRevisions);
	}

	private static long nonNegative(JsonNode node, String path) throws InvalidJsonException {
		if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
			throw new InvalidJsonException(
					path + " must be a non-negative integer (was " + OverrideJson.describe(node) + ")");
		}
		return node.longValue();
	}

}
