package dev.strangler.gateway.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.http.HttpHeaders;

/**
 * How long a response says it stays fresh, and how old it already is when it arrives (RFC
 * 9111 §4.2).
 *
 * <pre>{@code
 * Freshness freshness = Freshness.of(CacheControl.parse(lines), responseHeaders, clock.instant());
 * Duration ttl = freshness.timeToLive(routeTtl); // zero: do not store
 * }</pre>
 *
 * The explicit lifetime is {@code s-maxage}, else {@code max-age}, else {@code Expires}
 * minus {@code Date}. An {@code Expires} that cannot be parsed (notably {@code 0}) is in
 * the past (RFC 9111 §5.3). The initial age is the response's own {@code Age} header
 * only: the "apparent age" from {@code Date} would compare the monolith's clock with
 * ours, and a legacy host a few minutes behind would make every response look stale.
 */
record Freshness(Optional<Duration> lifetime, Duration initialAge) {

	private static final List<DateTimeFormatter> HTTP_DATE_FORMATS = List.of(DateTimeFormatter.RFC_1123_DATE_TIME,
			// the two obsolete forms a recipient must still accept (RFC 9110 §5.6.7)
			DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US),
			DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

	/**
	 * Reads the freshness information of a response.
	 * @param cacheControl the response's directives
	 * @param headers the response headers ({@code Expires}, {@code Date}, {@code Age})
	 * @param now the time the response was received, used when {@code Date} is missing
	 * @return the freshness, never {@code null}
	 */
	static Freshness of(CacheControl cacheControl, HttpHeaders headers, Instant now) {
		Optional<Duration> lifetime = cacheControl.sMaxAge()
			.or(cacheControl::maxAge)
			.or(() -> expiresLifetime(headers, now));
		return new Freshness(lifetime, ageHeader(headers));
	}

	/**
	 * The time an entry may stay in the cache: the route's {@code ttl}, shortened to what
	 * is left of the response's own lifetime once the age it arrived with is taken off.
	 * @param routeTtl the route's configured ttl
	 * @return the time to keep it; {@link Duration#ZERO} when it is already stale
	 */
	Duration timeToLive(Duration routeTtl) {
		if (this.lifetime.isEmpty()) {
			return routeTtl;
		}
		Duration remaining = this.lifetime.get().minus(this.initialAge);
		if (remaining.isNegative()) {
			return Duration.ZERO;
		}
		return (remaining.compareTo(routeTtl) < 0) ? remaining : routeTtl;
	}

	private static Optional<Duration> expiresLifetime(HttpHeaders headers, Instant now) {
		String expires = headers.getFirst(HttpHeaders.EXPIRES);
		if (expires == null) {
			return Optional.empty();
		}
		Optional<Instant> expiresAt = parseHttpDate(expires);
		if (expiresAt.isEmpty()) {
			return Optional.of(Duration.ZERO);
		}
		String date = headers.getFirst(HttpHeaders.DATE);
		// Expires minus the origin's own Date is immune to clock skew between the two
		// hosts
		Instant base = (date != null) ? parseHttpDate(date).orElse(now) : now;
		Duration lifetime = Duration.between(base, expiresAt.get());
		return Optional.of(lifetime.isNegative() ? Duration.ZERO : lifetime);
	}

	/**
	 * The age a response arrived with: its {@code Age} header, if valid.
	 * @param headers the response headers
	 * @return the age; zero when absent or invalid
	 */
	static Duration ageHeader(HttpHeaders headers) {
		String age = headers.getFirst(HttpHeaders.AGE);
		if (age == null || age.isBlank()) {
			return Duration.ZERO;
		}
		try {
			long seconds = Long.parseLong(age.trim());
			// an invalid Age is ignored (RFC 9111 §5.1)
			return (seconds < 0) ? Duration.ZERO : Duration.ofSeconds(seconds);
		}
		catch (NumberFormatException ex) {
			return Duration.ZERO;
		}
	}

	static Optional<Instant> parseHttpDate(String value) {
		for (DateTimeFormatter format : HTTP_DATE_FORMATS) {
			try {
				return Optional.of(ZonedDateTime.parse(value.trim(), format).toInstant());
			}
			catch (DateTimeParseException ex) {
				// try the next of the three permitted formats
			}
		}
		return Optional.empty();
	}

}
