package dev.strangler.gateway.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Checks that span routes: ids unique across all files, and no two routes whose patterns
 * are equally specific and overlap for a common method (no route would clearly win).
 */
final class RouteConflicts {

	private RouteConflicts() {
	}

	/**
	 * Finds every conflict among routes that each parsed cleanly.
	 * @param routes the routes of all files, in load order
	 * @return the conflicts, reported on the later route of each pair
	 */
	static List<RouteError> find(List<Route> routes) {
		List<RouteError> errors = new ArrayList<>();
		Map<String, Route> byId = new HashMap<>();
		List<Route> distinct = new ArrayList<>();
		for (Route route : routes) {
			Route first = byId.putIfAbsent(route.id(), route);
			if (first != null) {
				errors.add(new RouteError(route.source(), route.id(), "id",
						"duplicate id, already defined in " + first.source(), route.id()));
			}
			else {
				distinct.add(route);
			}
		}
		for (int i = 0; i < distinct.size(); i++) {
			for (int j = 0; j < i; j++) {
				overlap(distinct.get(j), distinct.get(i), errors);
			}
		}
		return errors;
	}

	private static void overlap(Route earlier, Route later, List<RouteError> errors) {
		Set<String> methods = commonMethods(earlier.match(), later.match());
		if (methods.isEmpty()) {
			return;
		}
		List<PathPattern> laterPaths = later.match().paths();
		for (int index = 0; index < laterPaths.size(); index++) {
			PathPattern mine = laterPaths.get(index);
			for (PathPattern theirs : earlier.match().paths()) {
				if (PathPattern.SPECIFICITY_COMPARATOR.compare(mine, theirs) == 0 && mayOverlap(mine, theirs)) {
					String on = methods.contains("*") ? "every method" : String.join(", ", methods);
					errors.add(new RouteError(later.source(), later.id(), "match.paths[" + index + "]", "overlaps "
							+ theirs.getPatternString() + " of route " + earlier.id() + " (" + earlier.source()
							+ ") for " + on
							+ " with equal specificity, so no route clearly wins; make one pattern more specific",
							mine.getPatternString()));
				}
			}
		}
	}

	/**
	 * Methods both routes claim; {@code *} stands for every method.
	 */
	private static Set<String> commonMethods(Route.Match a, Route.Match b) {
		Set<String> common = new TreeSet<>();
		if (a.methods().isEmpty() && b.methods().isEmpty()) {
			common.add("*");
		}
		else if (a.methods().isEmpty() || b.methods().isEmpty()) {
			(a.methods().isEmpty() ? b : a).methods().forEach((method) -> common.add(method.name()));
		}
		else {
			for (HttpMethod method : a.methods()) {
				if (b.methods().contains(method)) {
					common.add(method.name());
				}
			}
		}
		return common;
	}

	/**
	 * Whether some path could match both patterns. Exact for literal segments; when both
	 * segments hold wildcards or variables it assumes they overlap (reporting a possible
	 * tie is safer than routing by accident).
	 */
	static boolean mayOverlap(PathPattern a, PathPattern b) {
		return segmentsOverlap(segments(a), 0, segments(b), 0);
	}

	private static List<String> segments(PathPattern pattern) {
		List<String> segments = new ArrayList<>();
		for (String segment : pattern.getPatternString().split("/")) {
			if (!segment.isEmpty()) {
				segments.add(segment);
			}
		}
		return segments;
	}

	private static boolean segmentsOverlap(List<String> a, int i, List<String> b, int j) {
		if (i == a.size() && j == b.size()) {
			return true;
		}
		if (i < a.size() && isRest(a.get(i))) {
			// "**" or "{*var}": consumes zero or more of the other side's segments.
			for (int k = j; k <= b.size(); k++) {
				if (segmentsOverlap(a, i + 1, b, k)) {
					return true;
				}
			}
			return false;
		}
		if (j < b.size() && isRest(b.get(j))) {
			return segmentsOverlap(b, j, a, i);
		}
		if (i == a.size() || j == b.size()) {
			return false;
		}
		return segmentOverlaps(a.get(i), b.get(j)) && segmentsOverlap(a, i + 1, b, j + 1);
	}

	private static boolean isRest(String segment) {
		return segment.equals("**") || (segment.startsWith("{*") && segment.endsWith("}"));
	}

	private static boolean segmentOverlaps(String a, String b) {
		boolean aLiteral = isLiteral(a);
		boolean bLiteral = isLiteral(b);
		if (aLiteral && bLiteral) {
			return a.equals(b);
		}
		if (aLiteral || bLiteral) {
			String literal = aLiteral ? a : b;
			String pattern = aLiteral ? b : a;
			return PathPatternParser.defaultInstance.parse("/" + pattern)
				.matches(PathContainer.parsePath("/" + literal));
		}
		return true;
	}

	private static boolean isLiteral(String segment) {
		return segment.indexOf('*') < 0 && segment.indexOf('?') < 0 && segment.indexOf('{') < 0;
	}

}
