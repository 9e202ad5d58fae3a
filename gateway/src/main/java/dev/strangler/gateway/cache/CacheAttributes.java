package dev.strangler.gateway.cache;

import org.springframework.web.server.ServerWebExchange;

/**
 * The exchange attribute through which other parts of the gateway keep a response out of
 * the cache.
 *
 * <pre>{@code
 * CacheAttributes.markNotCacheable(exchange); // e.g. before falling back to legacy
 * }</pre>
 *
 * A response marked this way is neither stored nor handed to waiting requests, and a
 * marked request is never served from the cache. The fallback to legacy must mark its
 * exchange: its key names the target, but legacy answered.
 */
public final class CacheAttributes {

	/** Present (any value) on exchanges the cache must leave alone. */
	public static final String NOT_CACHEABLE = CacheAttributes.class.getName() + ".notCacheable";

	private CacheAttributes() {
	}

	/**
	 * Keeps this exchange's response out of the cache.
	 * @param exchange the exchange
	 */
	public static void markNotCacheable(ServerWebExchange exchange) {
		exchange.getAttributes().put(NOT_CACHEABLE, Boolean.TRUE);
	}

	/**
	 * Whether the exchange was marked.
	 * @param exchange the exchange
	 * @return {@code true} when the cache must leave it alone
	 */
	public static boolean isNotCacheable(ServerWebExchange exchange) {
		return exchange.getAttributes().containsKey(NOT_CACHEABLE);
	}

}
