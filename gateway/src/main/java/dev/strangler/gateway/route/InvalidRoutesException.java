package dev.strangler.gateway.route;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when route files are invalid; carries every problem found, not just the first.
 */
public class InvalidRoutesException extends RuntimeException {

	private final List<RouteError> errors;

	public InvalidRoutesException(String location, List<RouteError> errors) {
		super("Invalid route files in " + location + " (" + errors.size() + " error" + ((errors.size() == 1) ? "" : "s")
				+ "):" + errors.stream().map((error) -> "\n  - " + error).collect(Collectors.joining()));
		this.errors = List.copyOf(errors);
	}

	/**
	 * Every problem found.
	 * @return the errors, in file order
	 */
	public List<RouteError> errors() {
		return this.errors;
	}

}
