package dev.strangler.gateway.shadow;

import java.util.concurrent.Semaphore;

/**
 * Bounds the mirrored calls in flight ({@code strangler.shadow.max-in-flight}). Never
 * waits: a call that finds no permit is dropped, so an overloaded or hanging target can
 * neither queue work without bound nor hold up a client request.
 */
final class ShadowLimiter {

	private final int maxInFlight;

	private final Semaphore permits;

	ShadowLimiter(int maxInFlight) {
		if (maxInFlight < 1) {
			throw new IllegalArgumentException("maxInFlight must be at least 1 but was " + maxInFlight);
		}
		this.maxInFlight = maxInFlight;
		this.permits = new Semaphore(maxInFlight);
	}

	/**
	 * Takes a permit if one is free, without waiting.
	 * @return {@code true} if the caller now holds a permit it must {@link #release()}
	 */
	boolean tryAcquire() {
		return this.permits.tryAcquire();
	}

	/** Gives a permit back. */
	void release() {
		this.permits.release();
	}

	/**
	 * Mirrored calls currently holding a permit.
	 * @return the count
	 */
	int inFlight() {
		return this.maxInFlight - this.permits.availablePermits();
	}

	@Override
	public String toString() {
		return "ShadowLimiter[maxInFlight=" + this.maxInFlight + ", inFlight=" + inFlight() + "]";
	}

}
