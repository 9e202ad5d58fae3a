package dev.strangler.gateway.routing;

import java.net.URI;

import org.springframework.lang.Nullable;

/**
 * Moves a request's URL onto a backend: the backend's scheme, host and port, its base
 * path as a prefix, then the request's raw (still encoded) path and query, so nothing is
 * decoded or encoded twice. The one place every caller (routing, fallback, mirroring)
 * builds a backend URL, so all backends see the same path.
 *
 * <pre class="code">
 * BackendUrl.rebase(URI.create("http://svc/base/"), "/api/products/42", "page=2");
 * // http://svc/base/api/products/42?page=2
 * </pre>
 */
public final class BackendUrl {

	private BackendUrl() {
	}

	/**
	 * A request's path and query moved onto a backend.
	 * @param backend the backend's base URL
	 * @param rawPath the request's raw (still encoded) path, or {@code null}
	 * @param rawQuery the request's raw query, or {@code null}
	 * @return the backend URL
	 */
	public static URI rebase(URI backend, @Nullable String rawPath, @Nullable String rawQuery) {
		return join(prefix(backend), rawPath, rawQuery);
	}

	/**
	 * Scheme, authority and base path, without a trailing slash: what a request's path is
	 * appended to. Rendered once per route table on the routing path.
	 * @param backend the backend's base URL
	 * @return for example {@code http://svc:8080/base}
	 */
	static String prefix(URI backend) {
		String basePath = (backend.getRawPath() != null) ? backend.getRawPath() : "";
		if (basePath.endsWith("/")) {
			basePath = basePath.substring(0, basePath.length() - 1);
		}
		return backend.getScheme() + "://" + backend.getRawAuthority() + basePath;
	}

	/**
	 * A pre-rendered prefix and a request's raw path and query as one URL: one sized
	 * builder and one URI parse.
	 */
	static URI join(String prefix, @Nullable String rawPath, @Nullable String rawQuery) {
		String path = (rawPath != null) ? rawPath : "";
		int length = prefix.length() + path.length() + ((rawQuery != null) ? rawQuery.length() + 1 : 0);
		StringBuilder url = new StringBuilder(length).append(prefix).append(path);
		if (rawQuery != null) {
			url.append('?').append(rawQuery);
		}
		return URI.create(url.toString());
	}

}
