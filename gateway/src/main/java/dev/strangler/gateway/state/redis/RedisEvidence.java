package dev.strangler.gateway.state.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.strangler.gateway.evidence.BucketDelta;
import dev.strangler.gateway.evidence.ClusterEvidence;
import dev.strangler.gateway.evidence.EvidenceInterval;
import dev.strangler.gateway.evidence.EvidenceSink;
import dev.strangler.gateway.evidence.EvidenceSlots;
import dev.strangler.gateway.evidence.EvidenceWindow;
import dev.strangler.gateway.evidence.LocalEvidence;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The evidence of every instance, summed in Redis: one hash per route and time bucket
 * ({@code <prefix>:evidence:<route>:<bucket start, epoch seconds>}), each field a count
 * ({@link EvidenceSlots}), each key expiring after the retention. Instances add their
 * counts with one script call per flush (HINCRBY is a sum, so the order of flushes does
 * not matter) and read a window with one script call.
 *
 * <pre class="code">
 * RedisEvidence evidence = new RedisEvidence(template, options, local, retention);
 * evidence.window("catalog", Duration.ofMinutes(1)).total().shadow().compared();
 * </pre>
 *
 * When Redis cannot be read, a window answers this instance's own figures and says why.
 */
public final class RedisEvidence implements ClusterEvidence, EvidenceSink {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ADD = RedisScript
		.of(new ClassPathResource("dev/strangler/gateway/state/redis/evidence-add.lua"), List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> READ = RedisScript
		.of(new ClassPathResource("dev/strangler/gateway/state/redis/evidence-read.lua"), List.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	private final Duration timeout;

	private final LocalEvidence local;

	private final String ttlSeconds;

	/**
	 * Creates the shared evidence.
	 * @param redis the Redis connection
	 * @param options the key prefix and the timeout of one call
	 * @param local this instance's evidence, answered when Redis cannot be read
	 * @param retention how long a bucket is kept
	 */
	public RedisEvidence(ReactiveStringRedisTemplate redis, RedisStateOptions options, LocalEvidence local,
			Duration retention) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.keys = new RedisKeys(options.keyPrefix());
		this.timeout = options.timeout();
		this.local = Objects.requireNonNull(local, "local");
		// a bucket is written until its end: keep it for the retention after that
		this.ttlSeconds = Long.toString(retention.toSeconds() + 60);
	}

	@Override
	public void write(List<BucketDelta> deltas) {
		List<String> keys = new ArrayList<>(deltas.size());
		List<String> args = new ArrayList<>();
		args.add(this.ttlSeconds);
		for (BucketDelta delta : deltas) {
			keys.add(key(delta.routeId(), delta.start()));
			int countAt = args.size();
			args.add("");
			int fields = 0;
			long[] slots = delta.slots();
			for (int i = 0; i < slots.length; i++) {
				if (slots[i] != 0) {
					args.add(EvidenceSlots.name(i));
					args.add(Long.toString(slots[i]));
					fields++;
				}
			}
			args.set(countAt, Integer.toString(fields));
		}
		this.redis.execute(ADD, keys, args).next().timeout(this.timeout).block();
	}

	@Override
	public EvidenceWindow window(String routeId, Duration span) {
		Instant now = this.local.clock().instant();
		List<Instant> starts = this.local.bucketStarts(now, span);
		List<String> keys = starts.stream().map((start) -> key(routeId, start)).toList();
		List<?> reply;
		try {
			reply = this.redis.execute(READ, keys, List.of()).next().timeout(this.timeout).block();
		}
		catch (RuntimeException ex) {
			return this.local.window(routeId, span, Optional.of("the shared figures could not be read from Redis (" + ex
					+ "): these are this " + "instance's only"));
		}
		List<EvidenceInterval> intervals = new ArrayList<>();
		int i = 0;
		for (Instant start : starts) {
			int fields = Integer.parseInt(String.valueOf(reply.get(i++)));
			if (fields == 0) {
				continue;
			}
			long[] slots = new long[EvidenceSlots.COUNT];
			for (int n = 0; n < fields; n++, i += 2) {
				int slot = EvidenceSlots.index(String.valueOf(reply.get(i)));
				if (slot >= 0) {
					slots[slot] = Long.parseLong(String.valueOf(reply.get(i + 1)));
				}
			}
			intervals.add(new EvidenceInterval(start, EvidenceSlots.figures(slots)));
		}
		return new EvidenceWindow(routeId, starts.get(0), now, EvidenceWindow.Scope.CLUSTER, intervals,
				Optional.empty());
	}

	private String key(String routeId, Instant start) {
		return this.keys.evidence(routeId, start.getEpochSecond());
	}

	@Override
	public String toString() {
		return "RedisEvidence[" + this.keys.evidence("*", 0) + "]";
	}

}
