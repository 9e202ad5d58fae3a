package dev.strangler.gateway.cache;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.springframework.http.HttpHeaders;

/**
 * Reads the header names listed by a response's {@code Vary} lines (RFC 9110 §12.5.5).
 */
final class VaryHeader {

	private VaryHeader() {
	}

	/**
	 * The names listed by every {@code Vary} line, lower-cased, in order of appearance.
	 * @param responseHeaders the response headers
	 * @return the names; {@code *} stays {@code *}
	 */
	static Set<String> names(HttpHeaders responseHeaders) {
		Set<String> names = new LinkedHashSet<>();
		for (String line : responseHeaders.getOrEmpty(HttpHeaders.VARY)) {
			for (String name : line.split(",")) {
				String trimmed = name.trim();
				if (!trimmed.isEmpty()) {
					names.add(trimmed.toLowerCase(Locale.ROOT));
				}
			}
		}
		return names;
	}

}
