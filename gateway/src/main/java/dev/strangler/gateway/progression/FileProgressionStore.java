package dev.strangler.gateway.progression;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.strangler.gateway.state.AtomicFile;
import dev.strangler.gateway.state.StateFileException;

/**
 * Progression states in {@code progressions.json} under {@code strangler.state.dir},
 * replaced atomically on every save (like {@code overrides.json}). One gateway instance
 * writes it; reads are served from memory.
 *
 * <pre class="code">
 * ProgressionStore store = new FileProgressionStore(Path.of("data"));
 * store.save(state);
 * store.load("catalog"); // the same state, after a restart too
 * </pre>
 */
final class FileProgressionStore implements ProgressionStore {

	static final String FILE_NAME = "progressions.json";

	private static final TypeReference<Map<String, ProgressionState>> STATES = new TypeReference<>() {
	};

	private final Path file;

	private final Map<String, ProgressionState> states;

	/**
	 * Reads the file, if there is one.
	 * @param dir the state directory, created when missing
	 * @throws StateFileException when the file cannot be read or is not valid
	 */
	FileProgressionStore(Path dir) {
		this.file = dir.resolve(FILE_NAME);
		this.states = new TreeMap<>(read(dir, this.file));
	}

	private static Map<String, ProgressionState> read(Path dir, Path file) {
		try {
			Files.createDirectories(dir);
			return ProgressionJson.MAPPER.readValue(Files.readAllBytes(file), STATES);
		}
		catch (NoSuchFileException ex) {
			return Map.of();
		}
		catch (IOException ex) {
			throw StateFileException.unreadable(file, ex);
		}
	}

	@Override
	public synchronized Optional<ProgressionState> load(String routeId) {
		return Optional.ofNullable(this.states.get(routeId));
	}

	@Override
	public synchronized void save(ProgressionState state) {
		Map<String, ProgressionState> next = new TreeMap<>(this.states);
		next.put(state.routeId(), state);
		try {
			AtomicFile.write(this.file,
					ProgressionJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
		}
		catch (IOException ex) {
			throw StateFileException.unwritable(this.file, ex);
		}
		this.states.put(state.routeId(), state);
	}

	@Override
	public String toString() {
		return "FileProgressionStore[" + this.file + "]";
	}

}
