package dev.strangler.gateway.control;

import java.util.List;
import java.util.Optional;

/**
 * What one reload of the route files did.
 *
 * @param routes the ids of the routes now in force (unchanged when the reload failed)
 * @param added ids of routes that are new
 * @param removed ids of routes that are gone
 * @param error why the new files were rejected; empty when they were swapped in
 */
public record ReloadResult(List<String> routes, List<String> added, List<String> removed, Optional<ReloadError> error) {

	public ReloadResult {
		routes = List.copyOf(routes);
		added = List.copyOf(added);
		removed = List.copyOf(removed);
	}

	/**
	 * Whether the new files were swapped in.
	 * @return {@code true} unless they were rejected
	 */
	public boolean succeeded() {
		return this.error.isEmpty();
	}

}
