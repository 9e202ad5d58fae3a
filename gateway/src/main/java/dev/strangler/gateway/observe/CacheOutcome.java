package dev.strangler.gateway.observe;

import java.util.Locale;

import org.springframework.lang.Nullable;

/**
 * Reads the gateway cache's outcome from a response's {@code Cache-Status} header (RFC
 * 9211): {@code hit}, {@code collapsed}, or the forward reason ({@code miss},
 * {@code request}, {@code method}, …).
 *
 * <pre class="code">
 * CacheOutcome.of("strangler; fwd=miss; stored"); // "miss"
 * </pre>
 */
final class CacheOutcome {

	/** The header the cache sets. */
	static final String HEADER = "Cache-Status";

	private static final String CACHE_NAME = "strangler";

	private CacheOutcome() {
	}

	/**
	 * The outcome of the gateway's own cache entry in a {@code Cache-Status} value.
	 * @param header the header value, may be {@code null}
	 * @return the outcome, or {@code null} when the gateway's cache took no part
	 */
	@Nullable
	static String of(@Nullable String header) {
		if (header == null) {
			return null;
		}
		// RFC 9211: a list of caches, each "name; param; param"; later members are caches
		// closer to the client, so only ours (by name) is of interest.
		for (String member : header.split(",")) {
			String[] parts = member.trim().split(";");
			if (!CACHE_NAME.equalsIgnoreCase(parts[0].trim())) {
				continue;
			}
			String outcome = null;
			for (int i = 1; i < parts.length; i++) {
				String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
				if (parameter.equals("hit") || parameter.equals("collapsed")) {
					return parameter;
				}
				if (parameter.startsWith("fwd=")) {
					outcome = parameter.substring(4);
				}
			}
			return (outcome != null) ? outcome : "unknown";
		}
		return null;
	}

}
