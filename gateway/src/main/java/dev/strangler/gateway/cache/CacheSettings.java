package dev.strangler.gateway.cache;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.util.Assert;

/**
 * The limits of one route's cache, as its route file's {@code cache} block gives them.
 *
 * <pre>{@code
 * new CacheSettings(Duration.ofSeconds(30), 10_000, 64 * 1024 * 1024, List.of("Accept"));
 * }</pre>
 *
 * @param ttl the longest an entry is served; backends can only shorten it
 * @param maxEntries most entries held
 * @param maxBytes most bytes held, bodies and headers included
 * @param vary request headers that are part of every key, lower-cased
 */
record CacheSettings(Duration ttl, long maxEntries, long maxBytes, List<String> vary) {

	CacheSettings {
		Assert.isTrue(ttl != null && !ttl.isNegative() && !ttl.isZero(), () -> "ttl must be positive but was " + ttl);
		Assert.isTrue(maxEntries >= 1, () -> "maxEntries must be at least 1 but was " + maxEntries);
		Assert.isTrue(maxBytes >= 1, () -> "maxBytes must be at least 1 but was " + maxBytes);
		vary = vary.stream().map((name) -> name.trim().toLowerCase(Locale.ROOT)).distinct().toList();
	}

}
