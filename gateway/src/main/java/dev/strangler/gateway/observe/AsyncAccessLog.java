package dev.strangler.gateway.observe;

import java.util.Iterator;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Puts an {@link AccessLogAppender} between the access logger and the appenders Spring
 * Boot configured (console, file): from start-up on, access lines are written off the
 * event loop, in the same format and to the same outputs as before. Other loggers are
 * untouched. Does nothing when Logback is not the logging system, or when a custom
 * Logback configuration already gives the access logger appenders of its own.
 */
final class AsyncAccessLog implements SmartLifecycle, MeterBinder {

	/** The counter of lines dropped because the queue was full. */
	static final String DROPPED = "strangler.access.dropped";

	/** Lines held while the output is busy: a few seconds of heavy traffic. */
	static final int QUEUE_SIZE = 8192;

	private final LongAdder dropped = new LongAdder();

	private final int queueSize;

	private volatile AccessLogAppender appender;

	private volatile boolean running;

	AsyncAccessLog(int queueSize) {
		this.queueSize = queueSize;
	}

	@Override
	public void start() {
		Logger access = accessLogger();
		if (access == null || access.iteratorForAppenders().hasNext()) {
			return;
		}
		Logger root = access.getLoggerContext().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		// A stopped appender's worker cannot be restarted: a new one per start.
		AccessLogAppender appender = new AccessLogAppender(this.queueSize, this.dropped);
		appender.setContext(access.getLoggerContext());
		for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
			appender.addAppender(it.next());
		}
		appender.start();
		access.addAppender(appender);
		this.appender = appender;
		// The root's appenders now get access lines through the queue only.
		access.setAdditive(false);
		this.running = true;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		AccessLogAppender appender = this.appender;
		Logger access = accessLogger();
		if (access != null && access.detachAppender(appender)) {
			access.setAdditive(true);
		}
		// Writes what is still queued (up to a second), then ends the worker.
		appender.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(DROPPED, this.dropped, LongAdder::sum)
			.description("Access log lines dropped because the log output could not keep up")
			.register(registry);
	}

	private static Logger accessLogger() {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		return (factory instanceof LoggerContext context) ? context.getLogger(AccessLog.LOGGER) : null;
	}

	@Override
	public String toString() {
		return "AsyncAccessLog[" + AccessLog.LOGGER + ", queue=" + this.queueSize + ", dropped=" + this.dropped.sum()
				+ "]";
	}

}
