package dev.strangler.gateway.shadow;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import dev.strangler.gateway.headers.ForwardedRequestHeaders;
import dev.strangler.gateway.headers.StranglerHeaders;
import dev.strangler.gateway.routing.BackendUrl;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;

/**
 * What is sent again to a backend for one client request: method, raw path and query, and
 * the end-to-end headers. Immutable.
 *
 * @param method the request method
 * @param rawPath the path as the client sent it, still encoded
 * @param rawQuery the query as the client sent it, still encoded; {@code null} if none
 * @param headers the end-to-end request headers (read-only)
 */
record MirrorRequest(HttpMethod method, String rawPath, String rawQuery, HttpHeaders headers) {

	/** Header marking a mirrored request, so a target can suppress side effects. */
	static final String SHADOW_HEADER = StranglerHeaders.PREFIX + "Shadow";

	/**
	 * Hop-by-hop headers (RFC 9110 §7.6.1) and those the HTTP client computes itself;
	 * they describe the client's connection to the gateway, not the request.
	 */
	private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
			"proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
			"content-length");

	/**
	 * Snapshot of a client request, its forwarding headers as it carries them.
	 * @param request the client request (its internal headers already removed)
	 * @return the request to mirror
	 */
	static MirrorRequest of(ServerHttpRequest request) {
		return of(request, null);
	}

	/**
	 * Snapshot of a client request with the forwarding headers backends get.
	 * @param request the client request (its internal headers already removed)
	 * @param forwarding the forwarding headers decided for it
	 * ({@link ForwardedRequestHeaders}), sent instead of those it carries; {@code null}
	 * to send its own
	 * @return the request to mirror
	 */
	static MirrorRequest of(ServerHttpRequest request, @Nullable HttpHeaders forwarding) {
		HttpHeaders source = request.getHeaders();
		Set<String> named = connectionOptions(source);
		HttpHeaders headers = new HttpHeaders();
		source.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (!NOT_FORWARDED.contains(lower) && !named.contains(lower) && !StranglerHeaders.isInternal(name)
					&& (forwarding == null || !ForwardedRequestHeaders.isForwarding(name))) {
				headers.addAll(name, values);
			}
		});
		if (forwarding != null) {
			forwarding.forEach(headers::addAll);
		}
		URI uri = request.getURI();
		return new MirrorRequest(request.getMethod(), (uri.getRawPath() != null) ? uri.getRawPath() : "",
				uri.getRawQuery(), HttpHeaders.readOnlyHttpHeaders(headers));
	}

	/** Headers the client named in {@code Connection} are hop-by-hop as well. */
	private static Set<String> connectionOptions(HttpHeaders headers) {
		return headers.getValuesAsList(HttpHeaders.CONNECTION)
			.stream()
			.map((option) -> option.trim().toLowerCase(Locale.ROOT))
			.collect(java.util.stream.Collectors.toUnmodifiableSet());
	}

	/**
	 * Path and query as the client sent them.
	 * @return for example {@code /api/products?page=2}
	 */
	String pathWithQuery() {
		return (this.rawQuery != null) ? this.rawPath + "?" + this.rawQuery : this.rawPath;
	}

	/**
	 * This request's URL on a backend: its scheme, host and port, its path as a prefix.
	 * Works on the raw parts so nothing is encoded twice.
	 * @param base the backend's base URL
	 * @return the absolute URL
	 */
	URI on(URI base) {
		return BackendUrl.rebase(base, this.rawPath, this.rawQuery);
	}

	@Override
	public String toString() {
		// headers left out: they may hold credentials
		return "MirrorRequest[" + this.method + " " + pathWithQuery() + "]";
	}

}
