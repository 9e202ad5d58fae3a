package dev.strangler.gateway.path;

/**
 * A request path the gateway refuses because it cannot be normalized safely; the message
 * says why and is shown to the client.
 */
final class UnsafePathException extends RuntimeException {

	UnsafePathException(String message) {
		// No stack trace: any client can cause this, at any rate.
		super(message, null, false, false);
	}

}
