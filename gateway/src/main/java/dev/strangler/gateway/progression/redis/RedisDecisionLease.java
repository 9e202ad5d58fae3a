package dev.strangler.gateway.progression.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.strangler.gateway.progression.DecisionLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The {@link DecisionLease} of several instances sharing Redis: one key whose value is
 * the holder's instance id and which expires {@code ttl} after its last renewal.
 *
 * <pre class="code">
 * RedisDecisionLease lease = new RedisDecisionLease(redis, "strangler:progression:lease", "gw-1", Duration.ofSeconds(5), Duration.ofSeconds(2));
 * lease.holds(); // true on the one instance that holds it, renewed
 * lease.release(); // handed over at the others' next tick
 * </pre>
 *
 * <ul>
 * <li>{@link #holds()} runs one script: the holder extends its lease only if it still
 * holds it (compare-and-extend); when nobody holds it, the caller takes it
 * ({@code SET NX PX}). A holder that dies or hangs is therefore replaced within
 * {@code ttl} plus one tick.</li>
 * <li>Redis unreachable, or slower than half the TTL: {@code false}. Nobody decides while
 * Redis cannot be reached (the others cannot reach it either, or they take the lease once
 * it expires); traffic does not depend on the lease. Logged once per outage.</li>
 * <li>{@link #release()} gives the lease up only if this instance still holds it
 * (compare-and-delete).</li>
 * </ul>
 *
 * A lease is not a fence: an instance that stalls longer than the TTL right after
 * renewing could still act on its last answer. The TTL is several ticks long and a
 * renewal that took more than half of it does not count, which keeps that window far
 * shorter than a progression's interval.
 */
final class RedisDecisionLease implements DecisionLease {

	private static final Logger logger = LoggerFactory.getLogger(RedisDecisionLease.class);

	private static final RedisScript<String> ACQUIRE = RedisScript
		.of(new ClassPathResource("dev/strangler/gateway/progression/redis/lease-acquire.lua"), String.class);

	private static final RedisScript<Long> RELEASE = RedisScript
		.of(new ClassPathResource("dev/strangler/gateway/progression/redis/lease-release.lua"), Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final String key;

	private final String instanceId;

	private final Duration ttl;

	private final Duration callTimeout;

	private volatile Optional<String> holder = Optional.empty();

	private boolean holding;

	private boolean unreachable;

	/**
	 * A lease not held yet.
	 * @param redis the Redis connection
	 * @param key the lease's key
	 * @param instanceId this instance's id, unique in the cluster
	 * @param ttl how long the lease lasts unless renewed
	 * @param timeout longest wait for Redis ({@code strangler.state.redis.timeout}); a
	 * renewal waits at most half the TTL
	 */
	RedisDecisionLease(ReactiveStringRedisTemplate redis, String key, String instanceId, Duration ttl,
			Duration timeout) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.key = Objects.requireNonNull(key, "key");
		this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
		if (ttl.toMillis() < 2) {
			throw new IllegalArgumentException("ttl must be at least 2ms but was " + ttl);
		}
		this.ttl = ttl;
		// An answer that comes later than half the TTL may describe a lease that has
		// nearly expired: better no decision this tick than one taken without the lease.
		Duration half = ttl.dividedBy(2);
		this.callTimeout = (timeout.compareTo(half) < 0) ? timeout : half;
	}

	@Override
	public synchronized boolean holds() {
		String current;
		try {
			current = this.redis
				.execute(ACQUIRE, List.of(this.key), List.of(this.instanceId, Long.toString(this.ttl.toMillis())))
				.next()
				.timeout(this.callTimeout)
				.block();
			if (current == null) {
				throw new IllegalStateException("no answer");
			}
		}
		catch (RuntimeException ex) {
			unreachable(ex);
			return false;
		}
		if (this.unreachable) {
			this.unreachable = false;
			logger.info("Redis answers again; the progression decision lease is held by {}", current);
		}
		this.holder = Optional.of(current);
		boolean now = this.instanceId.equals(current);
		if (now && !this.holding) {
			logger.info("This instance ({}) takes the progression decisions now (lease {}, renewed every tick, "
					+ "expires {} after the last renewal)", this.instanceId, this.key, this.ttl);
		}
		else if (!now && this.holding) {
			logger.warn("This instance ({}) no longer takes the progression decisions: the lease {} is held by {}",
					this.instanceId, this.key, current);
		}
		this.holding = now;
		return now;
	}

	private void unreachable(RuntimeException ex) {
		this.holder = Optional.empty();
		if (!this.unreachable) {
			this.unreachable = true;
			logger.error(
					"The progression decision lease cannot be read: Redis {}; this instance takes no progression "
							+ "decision until it answers{} (traffic is not affected)",
					describe(ex), this.holding ? ", though it held the lease" : "");
		}
		this.holding = false;
	}

	private static String describe(Throwable ex) {
		if (ex instanceof java.util.concurrent.TimeoutException
				|| ex.getCause() instanceof java.util.concurrent.TimeoutException) {
			return "did not answer in time";
		}
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return "is unreachable (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
	}

	/**
	 * This instance's id, the lease's value while it holds it.
	 * @return the id
	 */
	String instanceId() {
		return this.instanceId;
	}

	@Override
	public Optional<String> holder() {
		return this.holder;
	}

	/**
	 * Gives the lease up when this instance holds it, so another instance takes over at
	 * its next tick rather than after the TTL. A failure is logged: the lease then
	 * expires on its own.
	 */
	@Override
	public synchronized void release() {
		try {
			Long released = this.redis.execute(RELEASE, List.of(this.key), List.of(this.instanceId))
				.next()
				.timeout(this.callTimeout)
				.block();
			if (released != null && released == 1) {
				logger.info("This instance ({}) gave the progression decision lease up", this.instanceId);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("The progression decision lease was not given up (Redis {}); it expires within {}",
					describe(ex), this.ttl);
		}
		this.holding = false;
		this.holder = Optional.empty();
	}

	@Override
	public String toString() {
		return "RedisDecisionLease[" + this.key + ", instance=" + this.instanceId + ", ttl=" + this.ttl + "]";
	}

}
