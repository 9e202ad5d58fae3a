package dev.strangler.gateway.route;

import java.util.regex.Pattern;

/**
 * What makes a rollout sticky: the request attribute whose value picks the bucket.
 *
 * <pre class="code">
 * StickyKey.parse("header:X-User-Id"); // StickyKey[source=HEADER, name=X-User-Id]
 * StickyKey.parse("client-ip");        // StickyKey[source=CLIENT_IP, name=null]
 * </pre>
 *
 * @param source where the key is read from
 * @param name the header, cookie or query parameter name; {@code null} for client-ip
 */
public record StickyKey(Source source, String name) {

	// RFC 9110 token: valid header, cookie and (conservatively) query parameter names.
	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private static final String EXPECTED = "must be header:NAME, cookie:NAME, query:NAME or client-ip";

	/**
	 * Parses {@code header:NAME}, {@code cookie:NAME}, {@code query:NAME} or
	 * {@code client-ip}.
	 * @param text the route file value
	 * @return the key
	 * @throws IllegalArgumentException naming the accepted forms
	 */
	public static StickyKey parse(String text) {
		String trimmed = text.trim();
		if (trimmed.equals("client-ip")) {
			return new StickyKey(Source.CLIENT_IP, null);
		}
		int colon = trimmed.indexOf(':');
		if (colon < 0) {
			throw new IllegalArgumentException(EXPECTED);
		}
		String prefix = trimmed.substring(0, colon);
		String name = trimmed.substring(colon + 1);
		Source source = switch (prefix) {
			case "header" -> Source.HEADER;
			case "cookie" -> Source.COOKIE;
			case "query" -> Source.QUERY;
			default -> throw new IllegalArgumentException(EXPECTED);
		};
		if (!TOKEN.matcher(name).matches()) {
			throw new IllegalArgumentException(EXPECTED + "; NAME must be a non-empty token");
		}
		return new StickyKey(source, name);
	}

	@Override
	public String toString() {
		return (this.source == Source.CLIENT_IP) ? "client-ip" : this.source.prefix + ":" + this.name;
	}

	/**
	 * Where a sticky key is read from.
	 */
	public enum Source {

		/** A request header. */
		HEADER("header"),
		/** A cookie. */
		COOKIE("cookie"),
		/** A query parameter. */
		QUERY("query"),
		/** The client's IP address. */
		CLIENT_IP("client-ip");

		private final String prefix;

		Source(String prefix) {
			this.prefix = prefix;
		}

	}

}
