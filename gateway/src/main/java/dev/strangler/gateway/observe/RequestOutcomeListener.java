package dev.strangler.gateway.observe;

/**
 * Receives the {@link RequestOutcome} of each completed request. Any bean of this type is
 * told, after the gateway's own timer and before the access log; it runs on the event
 * loop, so it must be quick, must not block and must not throw.
 */
public interface RequestOutcomeListener {

	/**
	 * Called once per request, after its response completed (or its client left).
	 * @param outcome what happened
	 */
	void completed(RequestOutcome outcome);

}
