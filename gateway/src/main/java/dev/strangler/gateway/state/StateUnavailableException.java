package dev.strangler.gateway.state;

/**
 * A shared state store that cannot be reached or did not answer in time: the change was
 * not made (or, when the answer was lost, may have been: the store's next resync shows
 * which). Traffic is not affected; the last state seen stays in force.
 */
public class StateUnavailableException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what is unreachable and what it means for the caller
	 * @param cause the underlying failure, or {@code null}
	 */
	public StateUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
