package dev.strangler.gateway.state;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * naming it, and is never overwritten. Every change replaces the file atomically (see
 * {@link SnapshotFile}), so a crash leaves either the old or the new file, never half of
 * one. Changes are serialized by a lock, so concurrent writers never lose an update;
 * reads are lock-free.
 */
public final class FileOverrideStore implements OverrideStore {

	/** The file name inside the state directory. */
	public static final String FILE_NAME = "overrides.json";

	private static final Logger logger = LoggerFactory.getLogger(FileOverrideStore.class);

	private final SnapshotFile file;

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
		this.file = new SnapshotFile(Objects.requireNonNull(directory, "directory").resolve(FILE_NAME));
		this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.file.prepare();
		this.snapshot = this.file.read().orElse(OverrideSnapshot.EMPTY);
	}

	@Override
	public OverrideSnapshot snapshot() {
		return this.snapshot;
	}

	@Override
	public OverrideChange update(String routeId, Actor actor, String reason, OptionalLong expectedRevision,
			Function<Optional<RouteOverride>, Optional<OverrideSettings>> change) {
		// OverrideUpdate.of checks the arguments.
		this.writeLock.lock();
		try {
			OverrideSnapshot current = this.snapshot;
			OverrideUpdate update = OverrideUpdate.of(current, routeId, actor, reason, expectedRevision, change,
					this.clock.instant());
			if (update.changesNothing()) {
				return update.committed(current);
			}
			OverrideSnapshot next = update.applyTo(current, update.routeRevision() + 1, current.revision() + 1);
			// Store, then record; a record that fails undoes the store. So the audit
			// trail never shows a change that is not in force, and no change is in
			// force without its record.
			this.file.write(next);
			try {
				this.auditLog.append(update.audit());
			}
			catch (RuntimeException ex) {
				restore(current, ex);
				throw ex;
			}
			this.snapshot = next;
			notifyListeners(next);
			return update.committed(next);
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
		return this.file.file();
	}

	@Override
	public String toString() {
		return "FileOverrideStore[" + this.file.file() + "]";
	}

	/**
	 * Puts the file back as it was before a change whose audit record failed. When even
	 * that fails, the file holds a change the running gateway does not apply and the
	 * audit does not show: say so loudly, as only an operator can settle it.
	 */
	private void restore(OverrideSnapshot previous, RuntimeException auditFailure) {
		try {
			this.file.write(previous);
		}
		catch (StateFileException ex) {
			auditFailure.addSuppressed(ex);
			logger.error(
					"The audit record of a change failed and {} could not be put back to revision {}: "
							+ "it may hold an unaudited change that applies at the next start",
					this.file.file(), previous.revision(), ex);
		}
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

}
