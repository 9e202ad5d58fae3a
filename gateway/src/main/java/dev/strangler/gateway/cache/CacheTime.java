package dev.strangler.gateway.cache;

import java.time.Clock;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The two time sources of the caches: Caffeine's {@link Ticker} for expiry and a
 * {@link Clock} for {@code Age}. Production uses the system's; tests define a bean of
 * this type to move both by hand.
 *
 * @param ticker expiry time source
 * @param clock wall-clock time source
 */
record CacheTime(Ticker ticker, Clock clock) {

	/**
	 * The system's time.
	 * @return system ticker and UTC clock
	 */
	static CacheTime system() {
		return new CacheTime(Ticker.systemTicker(), Clock.systemUTC());
	}

}
