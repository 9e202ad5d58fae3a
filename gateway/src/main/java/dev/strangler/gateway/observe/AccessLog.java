package dev.strangler.gateway.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes one line per request to the logger {@code strangler.access}. The fields travel
 * as SLF4J key-value pairs, so structured logging ({@code logging.structured.format.*})
 * emits them as JSON members; the message repeats them for humans reading plain logs.
 * <p>
 * The gateway's logging configuration hands this logger's lines to an asynchronous
 * appender ({@link AccessLogAppender}): writing the line never waits for the console or a
 * file on the event loop.
 */
final class AccessLog implements RequestOutcomeListener {

	/**
	 * The logger name; turn the access log off with
	 * {@code logging.level.strangler.access=off}.
	 */
	static final String LOGGER = "strangler.access";

	/** The human-readable message, repeating the fields for plain logs. */
	static final String MESSAGE = "{} {} {} {}ms route={} stage={} backend={} cache={} fallback={} trace={}";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER);

	/**
	 * Whether lines are written at all; asked before the request's trace context is
	 * restored for the line.
	 * @return {@code false} when the logger is off
	 */
	boolean enabled() {
		return logger.isInfoEnabled();
	}

	@Override
	public void completed(RequestOutcome outcome) {
		long millis = outcome.nanos() / 1_000_000;
		String stage = outcome.stageText();
		String status = outcome.statusText();
		LoggingEventBuilder line = logger.atInfo()
			.addKeyValue("http.request.method", outcome.method())
			.addKeyValue("url.path", outcome.path())
			.addKeyValue("http.response.status_code", status)
			.addKeyValue("event.duration_ms", millis)
			.addKeyValue("strangler.route", outcome.route())
			.addKeyValue("strangler.stage", stage)
			.addKeyValue("strangler.backend", outcome.backend().value());
		if (outcome.cache() != null) {
			line = line.addKeyValue("strangler.cache", outcome.cache());
		}
		if (outcome.fallback() != null) {
			line = line.addKeyValue("strangler.fallback", outcome.fallback());
		}
		if (outcome.traceId() != null) {
			line = line.addKeyValue("trace.id", outcome.traceId());
		}
		// The message is formatted from its arguments on the access log's own thread, off
		// the event loop (AccessLogAppender); every argument is an immutable value.
		line.log(MESSAGE, outcome.method(), outcome.path(), status, millis, outcome.route(), stage,
				outcome.backend().value(), orDash(outcome.cache()), orDash(outcome.fallback()),
				orDash(outcome.traceId()));
	}

	private static String orDash(String value) {
		return (value != null) ? value : "-";
	}

	@Override
	public String toString() {
		return "AccessLog[" + LOGGER + "]";
	}

}
