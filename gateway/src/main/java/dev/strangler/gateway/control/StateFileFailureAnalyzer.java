package dev.strangler.gateway.control;

import dev.strangler.gateway.state.StateFileException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a state file that cannot be read or is not valid at start-up into a clean
 * "APPLICATION FAILED TO START" report naming the file. The file is left as it is: it may
 * hold the only record of the operators' overrides.
 */
class StateFileFailureAnalyzer extends AbstractFailureAnalyzer<StateFileException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StateFileException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Fix or remove " + cause.file().toAbsolutePath() + " (removing it drops every override), "
						+ "or point strangler.state.dir (STRANGLER_STATE_DIR) at another directory.",
				cause);
	}

}
