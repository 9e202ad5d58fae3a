package dev.strangler.gateway.shadow;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import dev.strangler.gateway.compare.DiffBuffer;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.evidence.EvidenceRecorder;
import dev.strangler.gateway.evidence.ShadowResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the shadow path found, per route: counts of each result, the mismatch rate, the
 * most often differing paths, the latest mismatches and the learned noise. Read by the
 * admin API; written by the mirrors, which also count into the Micrometer meters
 * {@code strangler.shadow.comparisons{route,result}} and
 * {@code strangler.shadow.dropped{route}}.
 *
 * <pre class="code">
 * ShadowStats stats = shadowReports.stats("catalog");
 * List&lt;DiffRecord&gt; latest = shadowReports.diffs("catalog");
 * </pre>
 */
public final class ShadowReports {

	/** Counter of compared (or not) mirrors, tagged {@code route} and {@code result}. */
	static final String COMPARISONS = "strangler.shadow.comparisons";

	/** Counter of mirrors dropped because the in-flight limit was reached. */
	static final String DROPPED = "strangler.shadow.dropped";

	/** Distinct differing paths tracked per route; later new ones are not counted. */
	static final int MAX_TRACKED_PATHS = 1_000;

	/** Paths listed in {@link ShadowStats#topDifferingPaths()}. */
	static final int TOP_PATHS = 10;

	private final MeterRegistry registry;

	private final DiffBuffer diffs;

	private final NoiseModel noise;

	private final EvidenceRecorder evidence;

	private final Map<String, RouteCounts> routes = new ConcurrentHashMap<>();

	ShadowReports(MeterRegistry registry, DiffBuffer diffs, NoiseModel noise) {
		this(registry, diffs, noise, EvidenceRecorder.NONE);
	}

	ShadowReports(MeterRegistry registry, DiffBuffer diffs, NoiseModel noise, EvidenceRecorder evidence) {
		this.registry = registry;
		this.diffs = diffs;
		this.noise = noise;
		this.evidence = evidence;
	}

	/**
	 * The shadow results of a route.
	 * @param routeId the route id
	 * @return its counts; {@link ShadowStats#NONE} if it never mirrored
	 */
	public ShadowStats stats(String routeId) {
		RouteCounts counts = this.routes.get(routeId);
		return (counts != null) ? counts.snapshot() : ShadowStats.NONE;
	}

	/**
	 * The latest mismatches of a route, newest first (a bounded ring buffer).
	 * @param routeId the route id
	 * @return the mismatches, empty if none
	 */
	public List<DiffRecord> diffs(String routeId) {
		return this.diffs.recent(routeId);
	}

	/**
	 * The noise learned for a route: per path key (the route pattern that matched), the
	 * JSON paths that differ between two legacy answers to the same request.
	 * @param routeId the route id
	 * @return the noisy paths, empty if none
	 */
	public Map<String, Set<String>> noisyPaths(String routeId) {
		return this.noise.noisyPaths(routeId);
	}

	/** The noise model the mirrors learn into; the same one {@link #noisyPaths} reads. */
	NoiseModel noise() {
		return this.noise;
	}

	void matched(String routeId) {
		counts(routeId).match.increment();
		this.evidence.shadow(routeId, ShadowResult.MATCH);
	}

	void mismatched(String routeId, DiffRecord record) {
		RouteCounts counts = counts(routeId);
		// The diff first: whoever sees the count go up finds the diff behind it.
		this.diffs.add(routeId, record);
		this.evidence.differed(routeId, record);
		counts.differed(record.differences());
		counts.mismatch.increment();
		this.evidence.shadow(routeId, ShadowResult.MISMATCH);
	}

	void failed(String routeId) {
		counts(routeId).error.increment();
		this.evidence.shadow(routeId, ShadowResult.ERROR);
	}

	void skipped(String routeId) {
		counts(routeId).skipped.increment();
		this.evidence.shadow(routeId, ShadowResult.SKIPPED);
	}

	void dropped(String routeId) {
		counts(routeId).dropped.increment();
		this.evidence.shadow(routeId, ShadowResult.DROPPED);
	}

	private RouteCounts counts(String routeId) {
		return this.routes.computeIfAbsent(routeId, (id) -> new RouteCounts(this.registry, id));
	}

	@Override
	public String toString() {
		return "ShadowReports[routes=" + this.routes.keySet() + "]";
	}

	/** One route's counters; lock-free, as mirrors finish on many threads. */
	private static final class RouteCounts {

		private static final Pattern ARRAY_INDEX = Pattern.compile("\\[\\d+]");

		final Tally match;

		final Tally mismatch;

		final Tally error;

		final Tally skipped;

		final Tally dropped;

		final Map<String, LongAdder> paths = new ConcurrentHashMap<>();

		/**
		 * Registers every meter of the route at once, at zero: a dashboard or an alert on
		 * {@code dropped} or {@code mismatch} then has a series to read from the route's
		 * first mirror on, not only from its first drop or mismatch.
		 */
		RouteCounts(MeterRegistry registry, String routeId) {
			this.match = new Tally(comparisons(registry, routeId, "match"));
			this.mismatch = new Tally(comparisons(registry, routeId, "mismatch"));
			this.error = new Tally(comparisons(registry, routeId, "error"));
			this.skipped = new Tally(comparisons(registry, routeId, "skipped"));
			this.dropped = new Tally(Counter.builder(DROPPED)
				.description("Mirrored requests dropped because strangler.shadow.max-in-flight were in flight")
				.tag("route", routeId)
				.register(registry));
		}

		private static Counter comparisons(MeterRegistry registry, String routeId, String result) {
			return Counter.builder(COMPARISONS)
				.description("Mirrored requests by comparison result")
				.tag("route", routeId)
				.tag("result", result)
				.register(registry);
		}

		void differed(List<Difference> differences) {
			differences.stream().map(RouteCounts::template).distinct().forEach((path) -> {
				LongAdder count = this.paths.get(path);
				if (count == null && this.paths.size() >= MAX_TRACKED_PATHS) {
					// bounded: array indexes could otherwise grow this without end
					return;
				}
				this.paths.computeIfAbsent(path, (key) -> new LongAdder()).increment();
			});
		}

		/**
		 * {@code $.content[3].price} and {@code $.content[4].price} count as one path.
		 */
		static String template(Difference difference) {
			return ARRAY_INDEX.matcher(difference.path()).replaceAll("[*]");
		}

		ShadowStats snapshot() {
			long matches = this.match.sum();
			long mismatches = this.mismatch.sum();
			long compared = matches + mismatches;
			List<ShadowStats.PathCount> top = this.paths.entrySet()
				.stream()
				.map((entry) -> new ShadowStats.PathCount(entry.getKey(), entry.getValue().sum()))
				.sorted(Comparator.comparingLong(ShadowStats.PathCount::count)
					.reversed()
					.thenComparing(ShadowStats.PathCount::path))
				.limit(TOP_PATHS)
				.toList();
			return new ShadowStats(compared, matches, mismatches, this.error.sum(), this.skipped.sum(),
					this.dropped.sum(), (compared > 0) ? (double) mismatches / compared : 0, top);
		}

	}

	/**
	 * One count, kept exactly for the admin API and as a Micrometer counter for the
	 * metrics. Not read back from the counter: under a step registry (OTLP, delta
	 * temporality) a counter's {@code count()} is the last step's, not the total.
	 */
	private static final class Tally {

		private final LongAdder sum = new LongAdder();

		private final Counter counter;

		Tally(Counter counter) {
			this.counter = counter;
		}

		void increment() {
			this.sum.increment();
			this.counter.increment();
		}

		long sum() {
			return this.sum.sum();
		}

	}

}
