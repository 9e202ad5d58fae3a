package dev.strangler.gateway.evidence;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the local counts into time buckets and hands them, with the mismatches recorded
 * since, to the shared store on its own thread, every
 * {@code strangler.evidence.flush-interval}: requests and mirrors never wait for Redis. A
 * failed write is counted in {@code strangler.evidence.flush.failures}; the counts and
 * mismatches it carried stay in the instance's own figures and list only.
 */
final class EvidenceFlusher implements AutoCloseable {

	/** Counter of flushes the shared store refused or did not answer. */
	static final String FAILURES = "strangler.evidence.flush.failures";

	private static final Logger logger = LoggerFactory.getLogger(EvidenceFlusher.class);

	private final LocalEvidence local;

	private final Optional<EvidenceSink> sink;

	private final Counter failures;

	private final ScheduledExecutorService executor;

	private volatile boolean failing;

	EvidenceFlusher(LocalEvidence local, Optional<EvidenceSink> sink, MeterRegistry registry) {
		this.local = local;
		this.sink = sink;
		this.failures = Counter.builder(FAILURES)
			.description("Flushes of the evidence counts the shared state store did not take")
			.register(registry);
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "strangler-evidence");
			thread.setDaemon(true);
			return thread;
		});
	}

	void start(Duration interval) {
		this.executor.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/** One flush; never throws, or the schedule would stop. */
	void flush() {
		try {
			List<BucketDelta> deltas = this.local.flush();
			if (this.sink.isPresent() && !deltas.isEmpty()) {
				this.sink.get().write(deltas);
				if (this.failing) {
					logger.info("Evidence counts reach the shared state store again");
					this.failing = false;
				}
			}
		}
		catch (RuntimeException ex) {
			this.failures.increment();
			if (!this.failing) {
				logger.warn("Evidence counts could not be shared ({}); the cluster figures miss this instance's "
						+ "until the store answers, its own figures keep them", ex.toString());
				this.failing = true;
			}
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	@Override
	public String toString() {
		return "EvidenceFlusher[sink=" + this.sink.map(Object::toString).orElse("none") + "]";
	}

}
