package dev.strangler.gateway.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes one line per request to the logger {@code strangler.access}. The fields travel
 * as SLF4J key-value pairs, so structured logging ({@code logging.structured.format.*})
 * emits them as JSON members; the message repeats them for humans reading plain logs.
 */
final class AccessLog implements RequestOutcomeFilter.Listener {

	/**
	 * The logger name; turn the access log off with
	 * {@code logging.level.strangler.access=off}.
	 */
	static final String LOGGER = "strangler.access";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER);

	@Override
	public void completed(RequestOutcome outcome) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		long millis = outcome.duration().toMillis();
		LoggingEventBuilder line = logger.atInfo()
			.addKeyValue("http.request.method", outcome.method())
			.addKeyValue("url.path", outcome.path())
			.addKeyValue("http.response.status_code", outcome.status())
			.addKeyValue("event.duration_ms", millis)
			.addKeyValue("strangler.route", outcome.route())
			.addKeyValue("strangler.stage", outcome.stage())
			.addKeyValue("strangler.backend", outcome.backend());
		if (outcome.cache() != null) {
			line = line.addKeyValue("strangler.cache", outcome.cache());
		}
		if (outcome.fallback() != null) {
			line = line.addKeyValue("strangler.fallback", outcome.fallback());
		}
		if (outcome.traceId() != null) {
			line = line.addKeyValue("trace.id", outcome.traceId());
		}
		line.log(message(outcome, millis));
	}

	static String message(RequestOutcome outcome, long millis) {
		return outcome.method() + " " + outcome.path() + " " + outcome.status() + " " + millis + "ms route="
				+ outcome.route() + " stage=" + outcome.stage() + " backend=" + outcome.backend() + " cache="
				+ orDash(outcome.cache()) + " fallback=" + orDash(outcome.fallback()) + " trace="
				+ orDash(outcome.traceId());
	}

	private static String orDash(String value) {
		return (value != null) ? value : "-";
	}

	@Override
	public String toString() {
		return "AccessLog[" + LOGGER + "]";
	}

}
