package dev.strangler.gateway.control;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Checks the route files every {@code strangler.routes.poll-interval} and reloads them
 * when their {@link RouteFilesFingerprint fingerprint} changed. Polling rather than a
 * {@code WatchService}: it works the same on every file system, including network and
 * container mounts where change events never arrive.
 */
final class RouteFilePoller implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RouteFilePoller.class);

	private final RouteFilesFingerprint fingerprint;

	private final RouteControl control;

	private final Duration interval;

	private ScheduledExecutorService executor;

	private String lastSeen;

	RouteFilePoller(RouteFilesFingerprint fingerprint, RouteControl control, Duration interval) {
		this.fingerprint = fingerprint;
		this.control = control;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.interval.isZero() || this.interval.isNegative() || this.executor != null) {
			return;
		}
		this.lastSeen = currentFingerprint();
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "strangler-route-poller");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.executor.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Reloads when the files changed since the last check. A change that is rejected is
	 * reported once, not on every check, until the files change again; a reload that
	 * failed for another reason is tried again at the next check.
	 */
	void check() {
		try {
			String current = currentFingerprint();
			if (Objects.equals(current, this.lastSeen)) {
				return;
			}
			logger.info("Route files changed; reloading");
			ReloadResult result = this.control.reload();
			if (result.error().filter(ReloadError::retry).isEmpty()) {
				this.lastSeen = current;
			}
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again: keep polling, and since
			// lastSeen is unchanged, try again at the next check.
			logger.error("Checking the route files for changes failed", ex);
		}
	}

	/**
	 * The fingerprint, or a marker when the files cannot be read: that is a change too,
	 * and the reload it triggers reports why.
	 */
	private String currentFingerprint() {
		try {
			return this.fingerprint.compute();
		}
		catch (IOException ex) {
			logger.debug("Cannot read the route files to check for changes: " + ex);
			return "unreadable: " + ex.getMessage();
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public String toString() {
		return "RouteFilePoller[" + this.fingerprint + ", every " + this.interval + "]";
	}

}
