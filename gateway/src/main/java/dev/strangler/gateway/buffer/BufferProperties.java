package dev.strangler.gateway.buffer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The memory the gateway may hold for bodies, all requests together
 * ({@code strangler.buffers.*}).
 *
 * @param maxTotal the most bytes of request and response bodies held in memory at once
 * for retries, fallbacks, response checks and mirroring; beyond it a request goes without
 * the feature that needed the bytes (no retry or fallback, mirror skipped), never fails.
 * Default: a quarter of the maximum heap
 */
@ConfigurationProperties("strangler.buffers")
record BufferProperties(@Nullable DataSize maxTotal) {

	/** Share of the heap the default budget takes. */
	static final int DEFAULT_HEAP_DIVISOR = 4;

	/**
	 * The budget in bytes.
	 * @param maxHeap the JVM's maximum heap ({@code Runtime.maxMemory()})
	 * @return {@code maxTotal}, or a quarter of the heap when not set
	 */
	long maxTotalBytes(long maxHeap) {
		return (this.maxTotal != null) ? this.maxTotal.toBytes() : maxHeap / DEFAULT_HEAP_DIVISOR;
	}

}
