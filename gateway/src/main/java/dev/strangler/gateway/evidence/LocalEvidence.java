package dev.strangler.gateway.evidence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.observe.RequestOutcome;
import dev.strangler.gateway.observe.RequestOutcomeListener;
import dev.strangler.gateway.rollout.Backend;

/**
 * This instance's evidence: lock-free counters on the request and mirror paths, moved
 * into time buckets by {@link #flush()} (once a second, off the request path), which also
 * hands what it moved to the shared store, together with the mismatches recorded since
 * the last flush and the counts of their differing paths.
 *
 * <pre class="code">
 * LocalEvidence local = new LocalEvidence(clock, Duration.ofSeconds(10), Duration.ofMinutes(15));
 * local.completed(outcome);            // per request: three adder increments
 * List&lt;BucketDelta&gt; deltas = local.flush(); // per second
 * local.window("catalog", Duration.ofMinutes(1)).total();
 * </pre>
 */
public final class LocalEvidence implements RequestOutcomeListener, EvidenceRecorder {

	private final Clock clock;

	private final long bucketSeconds;

	private final Duration retention;

	private final int diffsPerRoute;

	private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

	// route id -> bucket start (epoch second) -> counts; only touched under this lock,
	// by the flush once a second and by readers
	private final Map<String, TreeMap<Long, Bucket>> buckets = new HashMap<>();

	/**
	 * Creates the evidence of this instance.
	 * @param clock stamps the buckets
	 * @param bucket length of a bucket, whole seconds
	 * @param retention how long buckets are kept
	 */
	public LocalEvidence(Clock clock, Duration bucket, Duration retention) {
		this(clock, bucket, retention, EvidenceProperties.DEFAULT_DIFFS_PER_ROUTE);
	}

	/**
	 * Creates the evidence of this instance.
	 * @param clock stamps the buckets
	 * @param bucket length of a bucket, whole seconds
	 * @param retention how long buckets are kept
	 * @param diffsPerRoute most mismatches of a route handed to one flush: the shared
	 * list keeps no more anyway
	 */
	public LocalEvidence(Clock clock, Duration bucket, Duration retention, int diffsPerRoute) {
		this.clock = Objects.requireNonNull(clock, "clock");
		if (diffsPerRoute < 1) {
			throw new IllegalArgumentException("diffsPerRoute must be at least 1 but was " + diffsPerRoute);
		}
		this.diffsPerRoute = diffsPerRoute;
		this.bucketSeconds = bucket.toSeconds();
		this.retention = Objects.requireNonNull(retention, "retention");
		if (this.bucketSeconds < 1) {
			throw new IllegalArgumentException("bucket must be at least 1s but was " + bucket);
		}
	}

	@Override
	public void completed(RequestOutcome outcome) {
		if (outcome.routed()) {
			request(outcome.route(), outcome.backend(), outcome.status(), outcome.nanos());
		}
	}

	/**
	 * Counts one finished request.
	 * @param routeId the route that claimed it
	 * @param backend the backend that served it
	 * @param status its status, 0 when it had none
	 * @param nanos how long it took
	 */
	public void request(String routeId, Backend backend, int status, long nanos) {
		LongAdder[] slots = tally(routeId).slots;
		slots[EvidenceSlots.requests(backend)].increment();
		if (status == 0 || status >= 500) {
			slots[EvidenceSlots.errors(backend)].increment();
		}
		slots[EvidenceSlots.latency(backend, LatencyHistogram.bucketOf(nanos))].increment();
	}

	@Override
	public void shadow(String routeId, ShadowResult result) {
		tally(routeId).slots[EvidenceSlots.shadow(result)].increment();
	}

	@Override
	public void differed(String routeId, DiffRecord record) {
		tally(routeId).differed(record, this.diffsPerRoute);
	}

	/**
	 * Moves what was counted since the last flush into the current time bucket, and
	 * forgets buckets older than the retention.
	 * @return what was moved, one delta per route that counted anything
	 */
	public synchronized List<BucketDelta> flush() {
		Instant now = this.clock.instant();
		long start = bucketStart(now);
		List<BucketDelta> deltas = new ArrayList<>();
		this.tallies
			.forEach((routeId, tally) -> tally.drain(routeId, Instant.ofEpochSecond(start)).ifPresent((delta) -> {
				this.buckets.computeIfAbsent(routeId, (id) -> new TreeMap<>())
					.computeIfAbsent(start, (key) -> new Bucket())
					.add(delta);
				deltas.add(delta);
			}));
		long oldest = bucketStart(now.minus(this.retention));
		this.buckets.values().forEach((byStart) -> byStart.headMap(oldest).clear());
		return deltas;
	}

	/**
	 * This instance's figures of a route, as of the last flush.
	 * @param routeId the route
	 * @param span how far back, rounded out to whole buckets
	 * @return the figures, with {@link EvidenceWindow.Scope#INSTANCE}
	 */
	public EvidenceWindow window(String routeId, Duration span) {
		return window(routeId, span, Optional.empty());
	}

	/**
	 * This instance's figures of a route, saying why they are not the cluster's.
	 * @param routeId the route
	 * @param span how far back
	 * @param problem why the cluster's figures were not read
	 * @return the figures
	 */
	public synchronized EvidenceWindow window(String routeId, Duration span, Optional<String> problem) {
		Instant now = this.clock.instant();
		List<Instant> starts = bucketStarts(now, span);
		TreeMap<Long, Bucket> byStart = this.buckets.getOrDefault(routeId, new TreeMap<>());
		List<EvidenceInterval> intervals = new ArrayList<>();
		byStart.tailMap(starts.get(0).getEpochSecond())
			.forEach((start, bucket) -> intervals.add(new EvidenceInterval(Instant.ofEpochSecond(start),
					EvidenceSlots.figures(bucket.slots), bucket.paths)));
		return new EvidenceWindow(routeId, starts.get(0), now, EvidenceWindow.Scope.INSTANCE, intervals, problem);
	}

	/**
	 * The starts of the buckets a window spans, oldest first, the current one last.
	 * @param now the end of the window
	 * @param span how far back
	 * @return the bucket starts
	 */
	public List<Instant> bucketStarts(Instant now, Duration span) {
		long last = bucketStart(now);
		long first = bucketStart(now.minus(span));
		List<Instant> starts = new ArrayList<>();
		for (long start = first; start <= last; start += this.bucketSeconds) {
			starts.add(Instant.ofEpochSecond(start));
		}
		return starts;
	}

	/**
	 * The time this evidence stamps its buckets with.
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	private long bucketStart(Instant instant) {
		return Math.floorDiv(instant.getEpochSecond(), this.bucketSeconds) * this.bucketSeconds;
	}

	private Tally tally(String routeId) {
		Tally tally = this.tallies.get(routeId);
		return (tally != null) ? tally : this.tallies.computeIfAbsent(routeId, (id) -> new Tally());
	}

	@Override
	public String toString() {
		return "LocalEvidence[bucket=" + this.bucketSeconds + "s, routes=" + this.tallies.keySet() + "]";
	}

	/** One route's counts and differing paths in one time bucket. */
	private static final class Bucket {

		final long[] slots = new long[EvidenceSlots.COUNT];

		final Map<String, Long> paths = new HashMap<>();

		void add(BucketDelta delta) {
			for (int i = 0; i < this.slots.length; i++) {
				this.slots[i] += delta.slots()[i];
			}
			delta.paths().forEach((path, count) -> countPath(this.paths, path, count));
		}

	}

	/** Adds to a path's count, unless the path is new and the map already full. */
	private static void countPath(Map<String, Long> paths, String path, long count) {
		if (paths.containsKey(path) || paths.size() < BucketDelta.MAX_PATHS) {
			paths.merge(path, count, Long::sum);
		}
	}

	/**
	 * One route's counters since start-up, and what the last flush took of them. The
	 * adders are never reset (a reset races the increments); the flush takes the
	 * difference. Mismatches and their paths wait here for the next flush, under the
	 * tally's lock: they come from the comparison thread, never from an event loop.
	 */
	private static final class Tally {

		final LongAdder[] slots = new LongAdder[EvidenceSlots.COUNT];

		// only read and written by the flush, under the evidence's lock
		private final long[] flushed = new long[EvidenceSlots.COUNT];

		// guarded by this
		private Map<String, Long> paths = new HashMap<>();

		// guarded by this; oldest first
		private final ArrayDeque<DiffRecord> diffs = new ArrayDeque<>();

		Tally() {
			for (int i = 0; i < this.slots.length; i++) {
				this.slots[i] = new LongAdder();
			}
		}

		synchronized void differed(DiffRecord record, int maxDiffs) {
			if (this.diffs.size() == maxDiffs) {
				this.diffs.removeFirst();
			}
			this.diffs.addLast(record);
			record.differences()
				.stream()
				.map(Difference::pathTemplate)
				.distinct()
				.forEach((path) -> countPath(this.paths, path, 1));
		}

		Optional<BucketDelta> drain(String routeId, Instant start) {
			long[] delta = new long[EvidenceSlots.COUNT];
			boolean any = false;
			for (int i = 0; i < delta.length; i++) {
				long sum = this.slots[i].sum();
				delta[i] = sum - this.flushed[i];
				this.flushed[i] = sum;
				any |= delta[i] != 0;
			}
			Map<String, Long> paths;
			List<DiffRecord> diffs;
			synchronized (this) {
				paths = this.paths;
				diffs = List.copyOf(this.diffs);
				if (!paths.isEmpty()) {
					this.paths = new HashMap<>();
				}
				this.diffs.clear();
			}
			any |= !paths.isEmpty() || !diffs.isEmpty();
			return any ? Optional.of(new BucketDelta(routeId, start, delta, paths, diffs)) : Optional.empty();
		}

	}

}
