package dev.strangler.gateway.route;

import org.springframework.lang.Nullable;

/**
 * One problem found in the route files, printed as
 * {@code file › route › field: message (was X)}.
 *
 * @param file the route file, relative to the routes location
 * @param route the route id, or {@code routes[i]} when the id is unusable; {@code null}
 * for problems of the file itself
 * @param field the offending key path, for example {@code rollout.percent}
 * @param message what is wrong
 * @param was the offending value; {@code null} when there is none
 */
public record RouteError(String file, @Nullable String route, String field, String message, @Nullable String was) {

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(this.file);
		if (this.route != null) {
			text.append(" › ").append(this.route);
		}
		text.append(" › ").append(this.field).append(": ").append(this.message);
		if (this.was != null) {
			text.append(" (was ").append(this.was).append(')');
		}
		return text.toString();
	}

}
