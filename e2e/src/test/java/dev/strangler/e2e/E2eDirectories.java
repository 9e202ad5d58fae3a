package dev.strangler.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the suite writes: process logs, working directories and route files, all under
 * the module's build directory so {@code mvn clean} removes them.
 */
final class E2eDirectories {

	private static final Path ROOT = Path.of(System.getProperty("e2e.build.dir", "target")).toAbsolutePath();

	private E2eDirectories() {
	}

	/**
	 * The log file of the process called {@code name}.
	 */
	static Path log(String name) {
		return create(ROOT.resolve("e2e-logs")).resolve(name + ".log");
	}

	/**
	 * An empty-on-first-use working directory for the process called {@code name}: its
	 * {@code ./data}, state files and temp files land there, never in the repository.
	 */
	static Path work(String name) {
		return create(ROOT.resolve("e2e-work").resolve(name));
	}

	/**
	 * A directory for one gateway's route files.
	 */
	static Path routes(String name) {
		return create(ROOT.resolve("e2e-routes").resolve(name));
	}

	private static Path create(Path dir) {
		try {
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
