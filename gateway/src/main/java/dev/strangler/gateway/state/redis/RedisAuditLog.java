package dev.strangler.gateway.state.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.StateJson;
import dev.strangler.gateway.state.StateUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The audit trail shared by every instance: a Redis stream, capped at about
 * {@code auditMaxEntries} entries, so every instance reads the same trail. The
 * {@link RedisOverrideStore} appends to it in the same script that changes an override.
 *
 * <pre>{@code
 * AuditLog audit = new RedisAuditLog(template, options);
 * audit.recent("catalog", 20);
 * }</pre>
 */
public final class RedisAuditLog implements AuditLog {

	static final String FIELD = "entry";

	private static final Logger logger = LoggerFactory.getLogger(RedisAuditLog.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisStateOptions options;

	/**
	 * Opens the audit trail.
	 * @param redis the Redis connection
	 * @param options the stream's bound and the call timeout
	 */
	public RedisAuditLog(ReactiveStringRedisTemplate redis, RedisStateOptions options) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.options = Objects.requireNonNull(options, "options");
		this.keys = new RedisKeys(options.keyPrefix());
	}

	@Override
	public void append(AuditEntry entry) {
		MapRecord<String, String, String> record = StreamRecords.newRecord()
			.in(this.keys.audit())
			.ofMap(Map.of(FIELD, StateJson.auditEntry(entry)));
		block(this.redis.opsForStream().add(record, XAddOptions.maxlen(this.options.auditMaxEntries())).then(),
				"append to the audit trail");
	}

	@Override
	public List<AuditEntry> recent(int limit) {
		return recent(limit, (entry) -> true);
	}

	@Override
	public List<AuditEntry> recent(String routeId, int limit) {
		Objects.requireNonNull(routeId, "routeId");
		return recent(limit, (entry) -> entry.routeId().equals(routeId));
	}

	@Override
	public String toString() {
		return "RedisAuditLog[" + this.keys.audit() + "]";
	}

	private List<AuditEntry> recent(int limit, Predicate<AuditEntry> filter) {
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative but was " + limit);
		}
		if (limit == 0) {
			return List.of();
		}
		// The stream is capped, so reading it whole for one route's entries is bounded.
		List<AuditEntry> entries = block(this.redis.<String, String>opsForStream()
			.reverseRange(this.keys.audit(), Range.unbounded(), Limit.unlimited())
			.<AuditEntry>handle((record, sink) -> {
				String json = record.getValue().get(FIELD);
				try {
					sink.next(StateJson.auditEntry(json));
				}
				catch (IllegalArgumentException | NullPointerException ex) {
					logger.warn("Skipped an unreadable entry {} of {}: {}", record.getId(), this.keys.audit(),
							ex.getMessage());
				}
			})
			.filter(filter)
			.take(limit)
			.collectList(), "read the audit trail");
		return (entries != null) ? entries : List.of();
	}

	private <T> T block(reactor.core.publisher.Mono<T> call, String what) {
		Duration timeout = this.options.timeout();
		try {
			return call.timeout(timeout).block();
		}
		catch (RuntimeException ex) {
			throw new StateUnavailableException(
					"could not " + what + ": Redis (the shared state store) did not answer (" + ex.getMessage() + ")",
					ex);
		}
	}

}
