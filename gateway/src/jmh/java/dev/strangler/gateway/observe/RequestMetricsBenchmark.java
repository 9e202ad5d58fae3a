package dev.strangler.gateway.observe;

import java.util.concurrent.TimeUnit;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Stage;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

/**
 * Cost of finding the {@code strangler.requests} timer of a request: the held timers of
 * {@link RequestMetrics} against building the tags and asking the registry each time
 * ({@code builder}, what it replaced). Recording itself is left out: it is the same for
 * both. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="RequestMetrics -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestMetricsBenchmark {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RequestMetrics metrics = new RequestMetrics(this.registry);

	private RequestOutcome outcome;

	@Setup
	public void setUp() {
		this.outcome = new RequestOutcome("GET", "/api/products/1", "catalog", Stage.LEGACY, Backend.LEGACY, 200,
				3_000_000, null, null, null);
		this.metrics.timer(this.outcome);
	}

	@Benchmark
	public Timer held() {
		return this.metrics.timer(this.outcome);
	}

	@Benchmark
	public Timer builder() {
		return Timer.builder(RequestMetrics.NAME)
			.description("Requests through the gateway, by route, serving backend, stage and status")
			.tag("route", this.outcome.route())
			.tag("backend", this.outcome.backend().value())
			.tag("stage", this.outcome.stageText())
			.tag("status", String.valueOf(this.outcome.status()))
			.register(this.registry);
	}

}
