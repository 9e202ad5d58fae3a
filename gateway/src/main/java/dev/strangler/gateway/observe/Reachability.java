package dev.strangler.gateway.observe;

import java.time.Duration;

import org.springframework.lang.Nullable;

/**
 * The result of one reachability probe of a backend.
 *
 * @param reachable whether a connection could be opened
 * @param took how long the probe took
 * @param error why it could not, or {@code null}
 */
record Reachability(boolean reachable, Duration took, @Nullable String error) {

	static Reachability up(Duration took) {
		return new Reachability(true, took, null);
	}

	static Reachability down(Duration took, String error) {
		return new Reachability(false, took, error);
	}

}
