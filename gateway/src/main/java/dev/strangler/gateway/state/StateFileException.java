package dev.strangler.gateway.state;

import java.nio.file.Path;

/**
 * A state file that cannot be read, is not valid, or cannot be written. The message names
 * the file and says what to do; the file itself is left as it is.
 */
public class StateFileException extends RuntimeException {

	private final Path file;

	StateFileException(Path file, String message, Throwable cause) {
		super(message, cause);
		this.file = file;
	}

	static StateFileException invalid(Path file, String problem) {
		return new StateFileException(file,
				"state file " + file.toAbsolutePath() + " is not valid: " + problem + "; fix or remove it", null);
	}

	/**
	 * A state file that exists but cannot be read or parsed.
	 * @param file the file
	 * @param cause why
	 * @return the exception
	 */
	public static StateFileException unreadable(Path file, Exception cause) {
		return new StateFileException(file, "state file " + file.toAbsolutePath() + " cannot be read: " + cause
				+ "; fix its permissions or remove it", cause);
	}

	/**
	 * A state file that could not be written; the old one is intact.
	 * @param file the file
	 * @param cause why
	 * @return the exception
	 */
	public static StateFileException unwritable(Path file, Exception cause) {
		return new StateFileException(file,
				"state file " + file.toAbsolutePath() + " could not be written: " + cause + "; nothing was changed",
				cause);
	}

	/**
	 * Returns the file concerned.
	 * @return the file
	 */
	public Path file() {
		return this.file;
	}

}
