package dev.strangler.gateway.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;

/**
 * The full key of one cache entry: the {@link PrimaryKey} and the values of the request
 * headers the entry varies on (RFC 9111 §4.1).
 *
 * <pre>{@code
 * CacheKey key = CacheKey.of(primary, Set.of("accept", "accept-language"), requestHeaders);
 * }</pre>
 *
 * Which headers to vary on is known before the first response only for the route's
 * configured {@code vary}; the names a response lists in its own {@code Vary} are learnt
 * per primary key by {@link RouteResponseCache}, as HTTP caches do.
 *
 * @param primary the request-line part
 * @param selecting lower-cased header name → its normalised values (empty list: absent)
 */
record CacheKey(PrimaryKey primary, Map<String, List<String>> selecting) {

	CacheKey {
		Assert.notNull(primary, "primary must not be null");
		selecting = Map.copyOf(selecting);
	}

	/**
	 * Builds the key of a request.
	 * @param primary the primary key
	 * @param varyNames the header names to vary on, any case
	 * @param requestHeaders the request headers
	 * @return the key
	 */
	static CacheKey of(PrimaryKey primary, Collection<String> varyNames, HttpHeaders requestHeaders) {
		return new CacheKey(primary, selectingValues(varyNames, requestHeaders));
	}

	/**
	 * Reads the request values of the named headers, normalised so that {@code a, b} on
	 * one line and {@code a} and {@code b} on two lines compare equal (RFC 9111 §4.1
	 * allows normalising whitespace and line folding).
	 * @param varyNames the header names
	 * @param requestHeaders the request headers
	 * @return lower-cased name → values; an absent header maps to an empty list
	 */
	static Map<String, List<String>> selectingValues(Collection<String> varyNames, HttpHeaders requestHeaders) {
		Map<String, List<String>> values = new TreeMap<>();
		for (String name : varyNames) {
			List<String> normalised = new ArrayList<>();
			for (String line : requestHeaders.getOrEmpty(name)) {
				for (String element : line.split(",", -1)) {
					normalised.add(element.trim());
				}
			}
			values.put(name.toLowerCase(Locale.ROOT), List.copyOf(normalised));
		}
		return values;
	}

}
