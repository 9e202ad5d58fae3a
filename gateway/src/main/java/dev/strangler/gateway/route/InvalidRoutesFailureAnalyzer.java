package dev.strangler.gateway.route;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns invalid route files at start-up into a clean "APPLICATION FAILED TO START" report
 * that lists every error.
 */
class InvalidRoutesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRoutesException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRoutesException cause) {
		String description = "The route files are invalid:\n"
				+ cause.errors().stream().map((error) -> "    " + error).collect(Collectors.joining("\n"));
		String action = "Fix the route files listed above (see docs/routes.md for every key and rule), "
				+ "or point strangler.routes.location (STRANGLER_ROUTES_LOCATION) at another directory.";
		return new FailureAnalysis(description, action, cause);
	}

}
