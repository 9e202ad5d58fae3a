package dev.strangler.gateway.resilience;

import org.springframework.lang.Nullable;

/**
 * How one protected target call ended: a status, nothing (something else answered), or an
 * error.
 *
 * @param status the target's status, {@code 0} when there is none
 * @param error why the call failed, {@code null} when it did not
 */
record AttemptOutcome(int status, @Nullable Throwable error) {

	static final AttemptOutcome NOTHING = new AttemptOutcome(0, null);

	static AttemptOutcome answered(int status) {
		return new AttemptOutcome(status, null);
	}

	static AttemptOutcome failed(Throwable error) {
		return new AttemptOutcome(0, error);
	}

}
