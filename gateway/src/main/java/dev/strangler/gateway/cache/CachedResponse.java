package dev.strangler.gateway.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * One backend response held by the cache: status, headers, the whole body, when it
 * arrived and the request header values it was selected by. Immutable and safe to write
 * to any number of clients at once.
 *
 * <pre>{@code
 * CachedResponse response = CachedResponse.of(200, headers, bytes, clock.instant(), Duration.ZERO, selecting);
 * response.ageSeconds(clock.instant()); // the Age header to send
 * }</pre>
 */
final class CachedResponse {

	/**
	 * Fixed bookkeeping cost of an entry (objects, key, map node), so empty bodies weigh
	 * something.
	 */
	static final int ENTRY_OVERHEAD_BYTES = 256;

	/**
	 * Fields that describe one connection or one delivery, never the stored response (RFC
	 * 9111 §3.1), and the headers the gateway itself sets on every response it writes.
	 */
	private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-connection", "te",
			"trailer", "transfer-encoding", "upgrade", "content-length", "age", "cache-status");

	private static final String GATEWAY_HEADER_PREFIX = "x-strangler-";

	private final int status;

	private final HttpHeaders headers;

	private final byte[] body;

	private final Instant storedAt;

	private final Duration initialAge;

	private final Map<String, List<String>> selecting;

	private final int weight;

	private final long storedAtMillis;

	private final long initialAgeMillis;

	/**
	 * The wire form, built by the first hit the front serves; a race builds it twice,
	 * harmlessly, as it is a pure function of this response.
	 */
	@Nullable
	private volatile WireResponse wire;

	private CachedResponse(int status, HttpHeaders headers, byte[] body, Instant storedAt, Duration initialAge,
			Map<String, List<String>> selecting) {
		this.status = status;
		this.headers = headers;
		this.body = body;
		this.storedAt = storedAt;
		this.initialAge = initialAge;
		this.selecting = selecting;
		this.weight = weigh(headers, body, selecting);
		this.storedAtMillis = storedAt.toEpochMilli();
		this.initialAgeMillis = initialAge.toMillis();
	}

	/**
	 * Captures a response. Headers that only make sense for one connection are left out,
	 * and the body is copied.
	 * @param status the status code
	 * @param headers the response headers
	 * @param body the complete body
	 * @param storedAt when the response arrived
	 * @param initialAge the age it had on arrival
	 * @param selecting the request header values it was selected by (see
	 * {@link CacheKey})
	 * @return the response
	 */
	static CachedResponse of(int status, HttpHeaders headers, byte[] body, Instant storedAt, Duration initialAge,
			Map<String, List<String>> selecting) {
		Assert.isTrue(status >= 100 && status <= 599, () -> "status must be 100..599 but was " + status);
		Assert.notNull(storedAt, "storedAt must not be null");
		Assert.isTrue(!initialAge.isNegative(), () -> "initialAge must not be negative but was " + initialAge);
		HttpHeaders kept = new HttpHeaders();
		headers.forEach((name, values) -> {
			String lowerCase = name.toLowerCase(java.util.Locale.ROOT);
			if (!NOT_STORED.contains(lowerCase) && !lowerCase.startsWith(GATEWAY_HEADER_PREFIX)) {
				kept.put(name, List.copyOf(values));
			}
		});
		return new CachedResponse(status, HttpHeaders.readOnlyHttpHeaders(kept), body.clone(), storedAt, initialAge,
				Map.copyOf(selecting));
	}

	int status() {
		return this.status;
	}

	/**
	 * The stored headers, read-only; without {@code Content-Length}, {@code Age} and
	 * hop-by-hop fields, which belong to each delivery.
	 * @return the headers
	 */
	HttpHeaders headers() {
		return this.headers;
	}

	/**
	 * The body, as a read-only view: callers may wrap it in a response buffer without
	 * copying, and cannot change what other clients receive.
	 * @return a fresh read-only buffer over the body
	 */
	ByteBuffer body() {
		return ByteBuffer.wrap(this.body).asReadOnlyBuffer();
	}

	int bodyLength() {
		return this.body.length;
	}

	Instant storedAt() {
		return this.storedAt;
	}

	/**
	 * The current age (RFC 9111 §4.2.3): the age it arrived with plus the time held here.
	 * @param now the current time
	 * @return the age, never negative
	 */
	Duration age(Instant now) {
		Duration resident = Duration.between(this.storedAt, now);
		return this.initialAge.plus(resident.isNegative() ? Duration.ZERO : resident);
	}

	/**
	 * The value of the {@code Age} header to send.
	 * @param now the current time
	 * @return whole seconds
	 */
	long ageSeconds(Instant now) {
		return ageSeconds(now.toEpochMilli());
	}

	/**
	 * The value of the {@code Age} header to send, without allocating: the same as
	 * {@link #ageSeconds(Instant)}.
	 * @param nowMillis the current time in epoch milliseconds
	 * @return whole seconds
	 */
	long ageSeconds(long nowMillis) {
		long resident = Math.max(0, nowMillis - this.storedAtMillis);
		return (this.initialAgeMillis + resident) / 1000;
	}

	/**
	 * This response as the front writes it on a hit, built once.
	 * @param route the route id ({@code X-Strangler-Route}), or {@code null} to leave the
	 * route headers out
	 * @param backend the backend ({@code X-Strangler-Backend})
	 * @return the wire form
	 */
	WireResponse wire(@Nullable String route, String backend) {
		WireResponse built = this.wire;
		if (built == null) {
			built = WireResponse.of(this, route, backend);
			this.wire = built;
		}
		return built;
	}

	/**
	 * The body bytes themselves, for {@link WireResponse}: never handed out.
	 */
	byte[] bodyBytes() {
		return this.body;
	}

	/**
	 * The request header values this response was selected by.
	 * @return lower-cased name → values
	 */
	Map<String, List<String>> selecting() {
		return this.selecting;
	}

	/**
	 * Whether this response may answer a request, comparing the headers it varies on (RFC
	 * 9111 §4.1). Checked on every use, because requests collapsed onto one load may
	 * differ in headers the response turned out to vary on.
	 * @param requestHeaders the request's headers
	 * @return {@code true} when every selecting header has the same values
	 */
	boolean matches(HttpHeaders requestHeaders) {
		return CacheKey.selectingValues(this.selecting.keySet(), requestHeaders).equals(this.selecting);
	}

	/**
	 * What the entry costs in memory, approximately, in bytes.
	 * @return body plus headers plus a fixed overhead
	 */
	int weight() {
		return this.weight;
	}

	private static int weigh(HttpHeaders headers, byte[] body, Map<String, List<String>> selecting) {
		long weight = ENTRY_OVERHEAD_BYTES + (long) body.length;
		for (Map.Entry<String, List<String>> header : headers.entrySet()) {
			for (String value : header.getValue()) {
				weight += header.getKey().length() + utf8Length(value) + 4;
			}
		}
		for (Map.Entry<String, List<String>> header : selecting.entrySet()) {
			for (String value : header.getValue()) {
				weight += header.getKey().length() + utf8Length(value) + 4;
			}
		}
		return (int) Math.min(weight, Integer.MAX_VALUE);
	}

	private static int utf8Length(String value) {
		return (value != null) ? value.getBytes(StandardCharsets.UTF_8).length : 0;
	}

	@Override
	public String toString() {
		return "CachedResponse[status=" + this.status + ", bodyLength=" + this.body.length + ", storedAt="
				+ this.storedAt + ", initialAge=" + this.initialAge + ", selecting=" + this.selecting + "]";
	}

}
