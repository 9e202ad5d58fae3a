package dev.strangler.gateway.route;

/**
 * Thrown when the route files cannot be read at all: the location is missing, is not a
 * readable directory, a file in it cannot be read, or it holds no route file where that
 * is not allowed. Unlike {@link InvalidRoutesException} nothing was validated: the files
 * are not there to validate, which must never be taken for "no routes".
 */
public class RoutesUnavailableException extends IllegalStateException {

	RoutesUnavailableException(String message) {
		super(message);
	}

	RoutesUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
