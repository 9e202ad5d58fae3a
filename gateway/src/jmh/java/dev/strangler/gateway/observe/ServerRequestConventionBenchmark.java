package dev.strangler.gateway.observe;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

/**
 * Cost of the convention's part of {@code http.server.requests} when a request's
 * observation stops (its low-cardinality key values and the span's contextual name, read
 * for every request, sampled or not): Spring's convention against
 * {@link PrecomputedServerRequestConvention}, for a proxied {@code GET} answered 200. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="ServerRequestConvention -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServerRequestConventionBenchmark {

	private final ServerRequestObservationConvention spring = new DefaultServerRequestObservationConvention();

	private final ServerRequestObservationConvention precomputed = new PrecomputedServerRequestConvention(
			"http.server.requests");

	private final ServerRequestObservationContext context = context();

	@Benchmark
	public void spring(Blackhole blackhole) {
		blackhole.consume(this.spring.getLowCardinalityKeyValues(this.context));
		blackhole.consume(this.spring.getContextualName(this.context));
	}

	@Benchmark
	public void precomputed(Blackhole blackhole) {
		blackhole.consume(this.precomputed.getLowCardinalityKeyValues(this.context));
		blackhole.consume(this.precomputed.getContextualName(this.context));
	}

	private static ServerRequestObservationContext context() {
		MockServerHttpResponse response = new MockServerHttpResponse();
		response.setStatusCode(HttpStatus.OK);
		return new ServerRequestObservationContext(MockServerHttpRequest.get("/api/fast/1").build(), response,
				new HashMap<>());
	}

}
