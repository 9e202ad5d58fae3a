package dev.strangler.gateway.rollout;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.strangler.gateway.route.Percent;

/**
 * Cost of the per-request rollout decision of a canary route: with a sticky key (a
 * SHA-256 of route id and key, see {@link RolloutBucket}), without one (a random draw),
 * and the bucket alone. Keys rotate through 4096 distinct user ids so no result can be
 * constant-folded. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="Rollout"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RolloutDecisionBenchmark {

	private static final int KEYS = 4096;

	private final RolloutDecider decider = new RolloutDecider(() -> ThreadLocalRandom.current().nextDouble());

	private final Percent half = Percent.parse("50");

	private String[] keys;

	private Optional<String>[] stickyKeys;

	private int next;

	@Setup
	@SuppressWarnings("unchecked")
	public void setUp() {
		this.keys = new String[KEYS];
		this.stickyKeys = new Optional[KEYS];
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "user-" + (1_000_000 + i * 7919);
			this.stickyKeys[i] = Optional.of(this.keys[i]);
		}
	}

	@Benchmark
	public Backend decideWithStickyKey() {
		return this.decider.decide("catalog", this.half, this.stickyKeys[nextIndex()]);
	}

	@Benchmark
	public Backend decideWithoutKey() {
		return this.decider.decide("catalog", this.half, Optional.empty());
	}

	@Benchmark
	public RolloutBucket bucketOnly() {
		return RolloutBucket.of("catalog", this.keys[nextIndex()]);
	}

	private int nextIndex() {
		this.next = (this.next + 1) & (KEYS - 1);
		return this.next;
	}

}
