package dev.strangler.gateway.control;

import dev.strangler.gateway.state.StateUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a shared state store that could not be reached at start-up, with no local
 * snapshot to start from, into a clean "APPLICATION FAILED TO START" report.
 */
class StateUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<StateUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StateUnavailableException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Start Redis or point spring.data.redis.* (SPRING_DATA_REDIS_HOST, SPRING_DATA_REDIS_PORT) at it, "
						+ "or raise strangler.state.redis.startup-wait. An instance that ran before starts from its "
						+ "local snapshot in strangler.state.dir instead of waiting.",
				cause);
	}

}
