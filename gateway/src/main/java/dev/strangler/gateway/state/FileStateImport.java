package dev.strangler.gateway.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A one-off, audited import of a file store's overrides into another store (the Redis
 * store, when moving a gateway to several instances). Each override becomes one change
 * made by {@value #ACTOR}, with the original author, time and reason in its reason. A
 * route the target store already has state for (any revision above 0: set, even if
 * cleared since) is left alone: the import never overwrites newer shared state, so
 * running it twice imports nothing the second time.
 *
 * <pre class="code">
 * FileStateImport.Report report = FileStateImport.from(Path.of("old-data")).into(redisStore);
 * report.imported(); // route ids
 * </pre>
 */
public final class FileStateImport {

	/** Who the imported changes are audited as. */
	public static final String ACTOR = "file-import";

	private final Path file;

	private final OverrideSnapshot fileState;

	private FileStateImport(Path file, OverrideSnapshot fileState) {
		this.file = file;
		this.fileState = fileState;
	}

	/**
	 * Reads the overrides of a file store.
	 * @param directory the file store's directory (its {@code strangler.state.dir})
	 * @return the import, ready to run
	 * @throws StateFileException when there is no overrides file there or it is not valid
	 */
	public static FileStateImport from(Path directory) {
		Path file = Objects.requireNonNull(directory, "directory").resolve(FileOverrideStore.FILE_NAME);
		OverrideSnapshot state = new SnapshotFile(file).read()
			.orElseThrow(() -> new StateFileException(file,
					"no file store to import at " + file.toAbsolutePath() + " (no " + FileOverrideStore.FILE_NAME + ")",
					null));
		return new FileStateImport(file, state);
	}

	/**
	 * Writes each override into {@code target}, unless the route has state there already.
	 * @param target the store to import into
	 * @return what was imported and what was left alone
	 * @throws StateUnavailableException when the target cannot be written (what was
	 * imported before stays; running the import again completes it)
	 */
	public Report into(OverrideStore target) {
		List<String> imported = new ArrayList<>();
		List<String> kept = new ArrayList<>();
		for (RouteOverride override : this.fileState.overrides().values()) {
			String reason = "imported from the file store " + this.file.toAbsolutePath() + " (set by " + override.who()
					+ " at " + override.when() + ": " + override.reason() + ")";
			try {
				target.update(override.routeId(), Actor.operator(ACTOR), reason, OptionalLong.of(0),
						(current) -> Optional.of(override.settings()));
				imported.add(override.routeId());
			}
			catch (RevisionConflictException ex) {
				kept.add(override.routeId());
			}
		}
		return new Report(List.copyOf(imported), List.copyOf(kept));
	}

	@Override
	public String toString() {
		return "FileStateImport[" + this.file + ", " + this.fileState.overrides().size() + " override(s)]";
	}

	/**
	 * What an import did.
	 *
	 * @param imported routes whose override was written into the target
	 * @param kept routes the target already had state for, left as they were
	 */
	public record Report(List<String> imported, List<String> kept) {

	}

}
