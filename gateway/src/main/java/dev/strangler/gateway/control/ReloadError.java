package dev.strangler.gateway.control;

import java.time.Instant;

/**
 * Why the last reload of the route files was rejected; the routes in force did not
 * change.
 *
 * @param message every validation error, each naming file, route and field, or why the
 * files could not be read
 * @param at when the reload was attempted
 * @param retry whether the reload failed for a reason of its own rather than because of
 * the files (an unexpected exception): the poller then tries again at its next check even
 * when the files did not change
 */
public record ReloadError(String message, Instant at, boolean retry) {

	/**
	 * An error caused by the files: retrying is pointless until they change.
	 * @param message what is wrong with them
	 * @param at when the reload was attempted
	 */
	public ReloadError(String message, Instant at) {
		this(message, at, false);
	}

}
