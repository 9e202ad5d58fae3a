package dev.strangler.gateway.dashboard;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Samples the {@link MismatchHistory} at a fixed interval on a thread of its own, from
 * start-up to shut-down.
 */
final class HistorySampler implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(HistorySampler.class);

	private final MismatchHistory history;

	private final Duration interval;

	private volatile ScheduledExecutorService executor;

	HistorySampler(MismatchHistory history, Duration interval) {
		this.history = history;
		this.interval = interval;
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "dashboard-history");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleAtFixedRate(this::sample, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	private void sample() {
		try {
			this.history.sample();
		}
		catch (RuntimeException ex) {
			// a failed sample leaves a gap in the chart; it must not end the schedule
			logger.warn("Mismatch history not sampled: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public String toString() {
		return "HistorySampler[every " + this.interval + "]";
	}

}
