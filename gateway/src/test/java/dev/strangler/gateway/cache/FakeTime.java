package dev.strangler.gateway.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * One hand-moved time source for both Caffeine's expiry ({@link Ticker}) and the
 * {@code Age} computation ({@link Clock}), so tests move them together.
 */
final class FakeTime extends Clock implements Ticker {

	private static final Instant START = Instant.parse("2025-01-01T10:00:00Z");

	private final AtomicLong nanos = new AtomicLong();

	void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	@Override
	public long read() {
		return this.nanos.get();
	}

	@Override
	public Instant instant() {
		return START.plusNanos(this.nanos.get());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("fixed to UTC");
	}

}
