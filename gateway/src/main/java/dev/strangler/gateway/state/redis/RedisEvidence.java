package dev.strangler.gateway.state.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.evidence.BucketDelta;
import dev.strangler.gateway.evidence.ClusterDiffs;
import dev.strangler.gateway.evidence.ClusterEvidence;
import dev.strangler.gateway.evidence.EvidenceInterval;
import dev.strangler.gateway.evidence.EvidenceSink;
import dev.strangler.gateway.evidence.EvidenceSlots;
import dev.strangler.gateway.evidence.EvidenceWindow;
import dev.strangler.gateway.evidence.GatewayInstance;
import dev.strangler.gateway.evidence.InstanceDiff;
import dev.strangler.gateway.evidence.LocalEvidence;
import dev.strangler.gateway.evidence.RecentDiffs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The evidence of every instance, in Redis: per route and time bucket one hash of counts
 * ({@code <prefix>:evidence:<route>:<bucket start, epoch seconds>}, each field a count,
 * {@link EvidenceSlots}) and one of differing paths ({@code <prefix>:evidence-paths:…},
 * path template to mismatches, at most {@link BucketDelta#MAX_PATHS} fields), each key
 * expiring after the retention; per route one capped list of the latest mismatches of
 * every instance ({@code <prefix>:diffs:<route>}, newest first). Instances add their
 * counts, paths and mismatches with one script call per flush (HINCRBY is a sum, so the
 * order of flushes does not matter), read a window with one script call and the
 * mismatches with one LRANGE.
 *
 * <pre class="code">
 * RedisEvidence evidence = new RedisEvidence(template, options, local, retention, instance, 100);
 * evidence.window("catalog", Duration.ofMinutes(1)).total().shadow().compared();
 * evidence.recent("catalog", () -&gt; shadowReports.diffs("catalog")).diffs();
 * </pre>
 *
 * When Redis cannot be read, a window answers this instance's own figures and the
 * mismatches this instance's own, each saying why.
 */
public final class RedisEvidence implements ClusterEvidence, ClusterDiffs, EvidenceSink {

	/**
	 * A list of mismatches no instance added to for this long is gone: the cap bounds it,
	 * the expiry only clears away the lists of routes that were removed.
	 */
	static final Duration DIFFS_TTL = Duration.ofDays(1);

	private static final Logger logger = LoggerFactory.getLogger(RedisEvidence.class);

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

	private final GatewayInstance instance;

	private final int diffsPerRoute;

	/**
	 * Creates the shared evidence.
	 * @param redis the Redis connection
	 * @param options the key prefix and the timeout of one call
	 * @param local this instance's evidence, answered when Redis cannot be read
	 * @param retention how long a bucket is kept
	 * @param instance the name this instance's mismatches are stamped with
	 * @param diffsPerRoute the most mismatches a route's shared list keeps
	 */
	public RedisEvidence(ReactiveStringRedisTemplate redis, RedisStateOptions options, LocalEvidence local,
			Duration retention, GatewayInstance instance, int diffsPerRoute) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.keys = new RedisKeys(options.keyPrefix());
		this.timeout = options.timeout();
		this.local = Objects.requireNonNull(local, "local");
		// a bucket is written until its end: keep it for the retention after that
		this.ttlSeconds = Long.toString(retention.toSeconds() + 60);
		this.instance = Objects.requireNonNull(instance, "instance");
		if (diffsPerRoute < 1) {
			throw new IllegalArgumentException("diffsPerRoute must be at least 1 but was " + diffsPerRoute);
		}
		this.diffsPerRoute = diffsPerRoute;
	}

	@Override
	public void write(List<BucketDelta> deltas) {
		List<String> keys = new ArrayList<>(deltas.size() * 3);
		List<String> args = new ArrayList<>();
		args.add(this.ttlSeconds);
		args.add(Integer.toString(BucketDelta.MAX_PATHS));
		args.add(Integer.toString(this.diffsPerRoute));
		args.add(Long.toString(DIFFS_TTL.toSeconds()));
		for (BucketDelta delta : deltas) {
			keys.add(key(delta.routeId(), delta.start()));
			keys.add(this.keys.evidencePaths(delta.routeId(), delta.start().getEpochSecond()));
			keys.add(this.keys.diffs(delta.routeId()));
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
			args.add(Integer.toString(delta.paths().size()));
			delta.paths().forEach((path, count) -> {
				args.add(path);
				args.add(Long.toString(count));
			});
			args.add(Integer.toString(delta.diffs().size()));
			for (DiffRecord record : delta.diffs()) {
				args.add(DiffJson.write(this.instance.id(), record));
			}
		}
		this.redis.execute(ADD, keys, args).next().timeout(this.timeout).block();
	}

	@Override
	public EvidenceWindow window(String routeId, Duration span) {
		Instant now = this.local.clock().instant();
		List<Instant> starts = this.local.bucketStarts(now, span);
		List<String> keys = new ArrayList<>(starts.size() * 2);
		for (Instant start : starts) {
			keys.add(key(routeId, start));
			keys.add(this.keys.evidencePaths(routeId, start.getEpochSecond()));
		}
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
			long[] slots = new long[EvidenceSlots.COUNT];
			for (int n = 0; n < fields; n++, i += 2) {
				int slot = EvidenceSlots.index(String.valueOf(reply.get(i)));
				if (slot >= 0) {
					slots[slot] = Long.parseLong(String.valueOf(reply.get(i + 1)));
				}
			}
			int pathCount = Integer.parseInt(String.valueOf(reply.get(i++)));
			Map<String, Long> paths = new HashMap<>();
			for (int n = 0; n < pathCount; n++, i += 2) {
				paths.put(String.valueOf(reply.get(i)), Long.parseLong(String.valueOf(reply.get(i + 1))));
			}
			if (fields > 0 || pathCount > 0) {
				intervals.add(new EvidenceInterval(start, EvidenceSlots.figures(slots), paths));
			}
		}
		return new EvidenceWindow(routeId, starts.get(0), now, EvidenceWindow.Scope.CLUSTER, intervals,
				Optional.empty());
	}

	@Override
	public RecentDiffs recent(String routeId, Supplier<List<DiffRecord>> own) {
		List<String> entries;
		try {
			entries = this.redis.opsForList()
				.range(this.keys.diffs(routeId), 0, this.diffsPerRoute - 1)
				.collectList()
				.timeout(this.timeout)
				.block();
		}
		catch (RuntimeException ex) {
			return RecentDiffs.own(this.instance.id(), own.get(), Optional
				.of("the shared mismatches could not be read from Redis (" + ex + "): these are this instance's only"));
		}
		List<InstanceDiff> diffs = new ArrayList<>(entries.size());
		for (String entry : entries) {
			try {
				diffs.add(DiffJson.read(entry));
			}
			catch (IllegalArgumentException ex) {
				// written by another version: the others are still worth showing
				logger.debug("Mismatch of route '{}' left out: {}", routeId, ex.getMessage());
			}
		}
		// the list is in flush order; instances flush at different moments
		diffs.sort(Comparator.comparing((InstanceDiff diff) -> diff.record().time()).reversed());
		return new RecentDiffs(EvidenceWindow.Scope.CLUSTER, diffs, Optional.empty());
	}

	private String key(String routeId, Instant start) {
		return this.keys.evidence(routeId, start.getEpochSecond());
	}

	@Override
	public String toString() {
		return "RedisEvidence[" + this.keys.evidence("*", 0) + "]";
	}

}
