package dev.strangler.gateway.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strangler.gateway.state.OverrideJson.InvalidJsonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link OverrideStore}: {@code overrides.json} in the state directory, for
 * a single gateway instance.
 *
 * <pre>{@code
 * Path dir = Path.of("data");
 * OverrideStore store = new FileOverrideStore(dir, new JsonLinesAuditLog(dir), Clock.systemUTC());
 * }</pre>
 *
 * <p>
 * The file is loaded once, at construction; a file that cannot be read, is not valid JSON
 * of the expected shape, or has a newer format version stops start-up with a message
 * naming it, and is never overwritten. Every change replaces the file atomically (temp
 * file in the same directory, fsync, rename, fsync of the directory), so a crash leaves
 * either the old or the new file, never half of one. Changes are serialized by a lock, so
 * concurrent writers never lose an update; reads are lock-free.
 */
public final class FileOverrideStore implements OverrideStore {

	/** The file name inside the state directory. */
	public static final String FILE_NAME = "overrides.json";

	/** The format version this code writes and the newest it reads. */
	static final int FORMAT = 1;

	private static final String TEMP_PREFIX = FILE_NAME + ".";

	private static final String TEMP_SUFFIX = ".tmp";

	private static final Set<String> FIELDS = Set.of("format", "revision", "overrides");

	private static final Logger logger = LoggerFactory.getLogger(FileOverrideStore.class);

	private final Path directory;

	private final Path file;

	private final AuditLog auditLog;

	private final Clock clock;

	private final ReentrantLock writeLock = new ReentrantLock();

	private final List<Consumer<OverrideSnapshot>> listeners = new CopyOnWriteArrayList<>();

	private volatile OverrideSnapshot snapshot;

	/**
	 * Opens the store, loading {@value #FILE_NAME} when it exists.
	 * @param directory the state directory; created when missing
	 * @param auditLog where every change is recorded
	 * @param clock stamps overrides and audit entries
	 * @throws StateFileException when the file cannot be read or is not valid
	 */
	public FileOverrideStore(Path directory, AuditLog auditLog, Clock clock) {
		this.directory = Objects.requireNonNull(directory, "directory");
		this.file = directory.resolve(FILE_NAME);
		this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
		this.clock = Objects.requireNonNull(clock, "clock");
		createDirectory();
		this.snapshot = load();
		deleteStaleTempFiles();
	}

	@Override
	public OverrideSnapshot snapshot() {
		return this.snapshot;
	}

	@Override
	public OverrideChange update(String routeId, Actor actor, String reason,
			Function<Optional<RouteOverride>, Optional<OverrideSettings>> change) {
		Objects.requireNonNull(routeId, "routeId");
		Objects.requireNonNull(actor, "actor");
		Objects.requireNonNull(reason, "reason");
		this.writeLock.lock();
		try {
			OverrideSnapshot current = this.snapshot;
			Optional<RouteOverride> before = current.get(routeId);
			Instant now = this.clock.instant();
			Optional<RouteOverride> after = change.apply(before)
				.map((settings) -> RouteOverride.of(routeId, settings, actor.name(), now, reason));
			if (before.isEmpty() && after.isEmpty()) {
				return new OverrideChange(routeId, before, after, current);
			}
			Map<String, RouteOverride> overrides = new TreeMap<>(current.overrides());
			after.ifPresentOrElse((override) -> overrides.put(routeId, override), () -> overrides.remove(routeId));
			OverrideSnapshot next = new OverrideSnapshot(current.revision() + 1, overrides);
			// Store, then record; a record that fails undoes the store. So the audit
			// trail
			// never shows a change that is not in force, and no change is in force
			// without its record.
			write(next);
			try {
				this.auditLog
					.append(new AuditEntry(actor.name(), now, routeId, action(actor, after), reason, before, after));
			}
			catch (RuntimeException ex) {
				restore(current, ex);
				throw ex;
			}
			this.snapshot = next;
			notifyListeners(next);
			return new OverrideChange(routeId, before, after, next);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public Subscription subscribe(Consumer<OverrideSnapshot> listener) {
		Objects.requireNonNull(listener, "listener");
		// Under the lock, so that no change slips between the first snapshot and the
		// next.
		this.writeLock.lock();
		try {
			this.listeners.add(listener);
			listener.accept(this.snapshot);
		}
		finally {
			this.writeLock.unlock();
		}
		return () -> this.listeners.remove(listener);
	}

	/**
	 * Returns the file this store keeps its overrides in.
	 * @return the path of {@value #FILE_NAME}
	 */
	public Path file() {
		return this.file;
	}

	@Override
	public String toString() {
		return "FileOverrideStore[" + this.file + "]";
	}

	private static AuditEntry.Action action(Actor actor, Optional<RouteOverride> after) {
		if (actor.automatic()) {
			return AuditEntry.Action.AUTO;
		}
		return after.isPresent() ? AuditEntry.Action.SET : AuditEntry.Action.CLEAR;
	}

	private void notifyListeners(OverrideSnapshot next) {
		for (Consumer<OverrideSnapshot> listener : this.listeners) {
			try {
				listener.accept(next);
			}
			catch (RuntimeException ex) {
				// The change is committed; one broken listener must not hide it from the
				// others.
				logger.error("Override listener {} failed on revision {}", listener, next.revision(), ex);
			}
		}
	}

	private void createDirectory() {
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw StateFileException.unreadable(this.file, ex);
		}
	}

	private OverrideSnapshot load() {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(this.file);
		}
		catch (NoSuchFileException ex) {
			return OverrideSnapshot.EMPTY;
		}
		catch (IOException ex) {
			throw StateFileException.unreadable(this.file, ex);
		}
		try {
			return parse(bytes);
		}
		catch (InvalidJsonException ex) {
			throw StateFileException.invalid(this.file, ex.getMessage());
		}
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
		JsonNode revision = root.get("revision");
		if (revision == null || !revision.isIntegralNumber() || !revision.canConvertToLong()
				|| revision.longValue() < 0) {
			throw new InvalidJsonException(
					"$.revision must be a non-negative integer (was " + OverrideJson.describe(revision) + ")");
		}
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
		return new OverrideSnapshot(revision.longValue(), byRoute);
	}

	private void write(OverrideSnapshot next) {
		ObjectNode root = OverrideJson.MAPPER.createObjectNode();
		root.put("format", FORMAT);
		root.put("revision", next.revision());
		ObjectNode overrides = root.putObject("overrides");
		new TreeMap<>(next.overrides())
			.forEach((routeId, override) -> overrides.set(routeId, OverrideJson.write(override)));
		Path temp = null;
		try {
			byte[] bytes = OverrideJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
			temp = Files.createTempFile(this.directory, TEMP_PREFIX, TEMP_SUFFIX);
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temp, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			temp = null;
			syncDirectory();
		}
		catch (IOException ex) {
			throw StateFileException.unwritable(this.file, ex);
		}
		finally {
			deleteQuietly(temp);
		}
	}

	/**
	 * Puts the file back as it was before a change whose audit record failed. When even
	 * that fails, the file holds a change the running gateway does not apply and the
	 * audit does not show: say so loudly, as only an operator can settle it.
	 */
	private void restore(OverrideSnapshot previous, RuntimeException auditFailure) {
		try {
			write(previous);
		}
		catch (StateFileException ex) {
			auditFailure.addSuppressed(ex);
			logger.error(
					"The audit record of a change failed and {} could not be put back to revision {}: "
							+ "it may hold an unaudited change that applies at the next start",
					this.file, previous.revision(), ex);
		}
	}

	/**
	 * Makes the rename itself durable. POSIX only persists a rename once the directory is
	 * synced; Windows cannot open a directory as a channel, and there the rename is
	 * journaled by NTFS.
	 */
	private void syncDirectory() {
		try (FileChannel channel = FileChannel.open(this.directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			logger.debug("Cannot sync directory {} on this platform", this.directory, ex);
		}
	}

	/**
	 * Removes temp files a crash left between write and rename; they never hold the state
	 * of record.
	 */
	private void deleteStaleTempFiles() {
		try (DirectoryStream<Path> temps = Files.newDirectoryStream(this.directory, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
			temps.forEach(FileOverrideStore::deleteQuietly);
		}
		catch (IOException ex) {
			logger.warn("Cannot list {} to remove stale temp files", this.directory, ex);
		}
	}

	private static void deleteQuietly(Path path) {
		if (path == null) {
			return;
		}
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			logger.warn("Cannot delete temp file {}", path, ex);
		}
	}

}
