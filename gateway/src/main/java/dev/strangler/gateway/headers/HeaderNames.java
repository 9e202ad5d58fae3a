package dev.strangler.gateway.headers;

import java.util.List;

/**
 * Header names compared ignoring case, by a loop rather than a lookup: a handful of
 * names, and no lower-case copy or iterator to allocate per request.
 */
final class HeaderNames {

	private HeaderNames() {
	}

	/**
	 * Whether a name is among some names, ignoring case.
	 * @param names the names
	 * @param name a header name
	 * @return {@code true} when one of {@code names} equals it ignoring case
	 */
	static boolean containsIgnoringCase(String[] names, String name) {
		for (String candidate : names) {
			if (candidate.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * As {@link #containsIgnoringCase(String[], String)}, by index: no iterator for the
	 * (mostly empty) {@code Connection} options.
	 * @param names the names
	 * @param name a header name
	 * @return {@code true} when one of {@code names} equals it ignoring case
	 */
	static boolean containsIgnoringCase(List<String> names, String name) {
		for (int i = 0; i < names.size(); i++) {
			if (names.get(i).equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

}
