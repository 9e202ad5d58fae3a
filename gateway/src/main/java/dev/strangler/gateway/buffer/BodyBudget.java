package dev.strangler.gateway.buffer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * The gateway-wide budget of bytes held in memory for bodies: request bodies kept for a
 * retry or a fallback, the first part of a target response read before it is relayed, the
 * copies of a mirrored request and of legacy's answer kept for the comparison. Each of
 * those is bounded per request; this bounds their sum, so a few hundred concurrent large
 * uploads cannot exhaust the heap.
 *
 * <pre class="code">
 * BodyBudget.Reservation held = budget.open();
 * if (held.tryGrow(contentLength, BodyBudget.Feature.REPLAY)) { keep the body } else { stream it, no replay }
 * ...
 * held.close(); // on every path: completion, error, cancel
 * </pre>
 *
 * A refusal never fails a request: the caller goes on without the feature that needed the
 * bytes, and the refusal is counted ({@code strangler.buffers.refused{feature}}).
 */
public final class BodyBudget implements MeterBinder {

	private final long maxTotal;

	private final AtomicLong used = new AtomicLong();

	private final Map<Feature, AtomicLong> refusals = new EnumMap<>(Feature.class);

	// Set once the registry binds this budget; a budget is usable before (and in tests
	// without) a registry.
	private volatile Map<Feature, Counter> refusedCounters = Map.of();

	/**
	 * Creates a budget.
	 * @param maxTotal bytes that may be held at once, at least 0
	 */
	public BodyBudget(long maxTotal) {
		Assert.isTrue(maxTotal >= 0, () -> "maxTotal must be at least 0 but was " + maxTotal);
		this.maxTotal = maxTotal;
		for (Feature feature : Feature.values()) {
			this.refusals.put(feature, new AtomicLong());
		}
	}

	/**
	 * Opens a reservation holding nothing yet; grow it as bytes are kept.
	 * @return the reservation; close it when the bytes are let go
	 */
	public Reservation open() {
		return new Reservation();
	}

	/**
	 * Bytes held now.
	 * @return the sum over every open reservation
	 */
	public long used() {
		return this.used.get();
	}

	/**
	 * The most that may be held at once.
	 * @return bytes
	 */
	public long maxTotal() {
		return this.maxTotal;
	}

	/**
	 * How often a feature was refused bytes since start.
	 * @param feature the feature
	 * @return the count
	 */
	public long refused(Feature feature) {
		return this.refusals.get(feature).get();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("strangler.buffers.used", this.used, AtomicLong::get)
			.description("Bytes of bodies held in memory for replay, response checks and mirroring")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("strangler.buffers.max", this, BodyBudget::maxTotal)
			.description("The most bytes of bodies that may be held at once (strangler.buffers.max-total)")
			.baseUnit("bytes")
			.register(registry);
		Map<Feature, Counter> counters = new EnumMap<>(Feature.class);
		for (Feature feature : Feature.values()) {
			counters.put(feature,
					Counter.builder("strangler.buffers.refused")
						.description("Requests that went without a feature because the body budget was spent")
						.tag("feature", feature.tag())
						.register(registry));
		}
		this.refusedCounters = counters;
	}

	private boolean take(long bytes, Feature feature) {
		while (true) {
			long current = this.used.get();
			if (bytes > this.maxTotal - current) {
				this.refusals.get(feature).incrementAndGet();
				Counter counter = this.refusedCounters.get(feature);
				if (counter != null) {
					counter.increment();
				}
				return false;
			}
			if (this.used.compareAndSet(current, current + bytes)) {
				return true;
			}
		}
	}

	@Override
	public String toString() {
		return "BodyBudget[used=" + this.used.get() + ", maxTotal=" + this.maxTotal + "]";
	}

	/** What bytes are held for; the {@code feature} tag of the refusal counter. */
	public enum Feature {

		/** A request body kept so it can be sent again (retry, fallback to legacy). */
		REPLAY,

		/**
		 * The first part of a target response, read before relaying so it can fall back.
		 */
		RESPONSE_CHECK,

		/**
		 * Copies of a mirrored request and of legacy's answer, kept for the comparison.
		 */
		MIRROR;

		String tag() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * Bytes held for one request, released all at once by {@link #close()}; closing
	 * twice, or growing after closing, is harmless.
	 */
	public final class Reservation implements AutoCloseable {

		private long held;

		private boolean closed;

		private Reservation() {
		}

		/**
		 * Takes more bytes from the budget, all or nothing.
		 * @param bytes how many more, at least 0
		 * @param feature what they are for (counted when refused)
		 * @return {@code false} when the budget cannot spare them (or this is closed): go
		 * on without the feature
		 */
		public synchronized boolean tryGrow(long bytes, Feature feature) {
			Assert.isTrue(bytes >= 0, () -> "bytes must be at least 0 but was " + bytes);
			if (this.closed || !take(bytes, feature)) {
				return false;
			}
			this.held += bytes;
			return true;
		}

		/**
		 * Bytes held by this reservation.
		 * @return bytes
		 */
		public synchronized long held() {
			return this.held;
		}

		@Override
		public synchronized void close() {
			if (!this.closed) {
				this.closed = true;
				BodyBudget.this.used.addAndGet(-this.held);
				this.held = 0;
			}
		}

		@Override
		public synchronized String toString() {
			return "Reservation[held=" + this.held + (this.closed ? ", closed" : "") + "]";
		}

	}

}
