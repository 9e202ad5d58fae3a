package dev.strangler.gateway.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.util.Assert;

/**
 * The part of a cache key that comes from the request line alone (RFC 9111 §4: method and
 * target URI), plus the route and the backend that serves it.
 *
 * <pre>{@code
 * PrimaryKey key = PrimaryKey.of("catalog", "legacy", "HEAD", "/api/products", "b=2&a=1");
 * key.method(); // "GET": HEAD is served from GET's entry
 * key.query();  // "a=1&b=2"
 * }</pre>
 *
 * @param route the route id
 * @param backend {@code legacy} or {@code target}: the two may answer differently, and a
 * canary must not serve the legacy answer to a target-bound client
 * @param method the method; HEAD is folded into GET
 * @param path the raw (encoded) request path
 * @param query the raw query with its parameters in a normalised order; empty for none
 */
record PrimaryKey(String route, String backend, String method, String path, String query) {

	PrimaryKey {
		Assert.hasText(route, "route must not be empty");
		Assert.hasText(backend, "backend must not be empty");
		Assert.hasText(method, "method must not be empty");
		Assert.notNull(path, "path must not be null");
		Assert.notNull(query, "query must not be null");
	}

	/**
	 * Builds the key of a request, normalising the method and the query.
	 * @param route the route id
	 * @param backend the serving backend
	 * @param method the request method
	 * @param path the raw path
	 * @param rawQuery the raw query, or {@code null}
	 * @return the key
	 */
	static PrimaryKey of(String route, String backend, String method, String path, String rawQuery) {
		return new PrimaryKey(route, backend, "HEAD".equals(method) ? "GET" : method, path, normaliseQuery(rawQuery));
	}

	/**
	 * Sorts parameters by name so {@code ?b=2&a=1} and {@code ?a=1&b=2} share an entry.
	 * The sort is stable: the values of a repeated name keep their order, since
	 * {@code a=1&a=2} is a list to most frameworks and not the same request as
	 * {@code a=2&a=1}. Names and values stay encoded as sent.
	 * @param rawQuery the query, or {@code null}
	 * @return the normalised query; empty for none
	 */
	static String normaliseQuery(String rawQuery) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return "";
		}
		List<String> parameters = new ArrayList<>();
		for (String parameter : rawQuery.split("&")) {
			if (!parameter.isEmpty()) {
				parameters.add(parameter);
			}
		}
		parameters.sort(Comparator.comparing(PrimaryKey::parameterName));
		return String.join("&", parameters);
	}

	private static String parameterName(String parameter) {
		int equals = parameter.indexOf('=');
		return (equals < 0) ? parameter : parameter.substring(0, equals);
	}

}
