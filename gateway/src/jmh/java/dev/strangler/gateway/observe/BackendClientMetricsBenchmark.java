package dev.strangler.gateway.observe;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Metrics;
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
import reactor.netty.http.client.HttpClientMetricsRecorder;

/**
 * Cost of the client meters of one proxied call: the calls Reactor Netty makes on its
 * recorder for a GET answered in one read (the request's bytes and time, the response's
 * bytes and times, one read and one write on the connection), on {@link BackendClientMetrics}
 * against Reactor Netty's own Micrometer recorder ({@code reactorNettys}). Reactor Netty
 * times the response through an observation rather than its recorder's
 * {@code recordResponseTime}, which costs more than the call measured here: the comparison
 * understates the difference. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="BackendClientMetrics -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BackendClientMetricsBenchmark {

	private static final Duration ELAPSED = Duration.ofMillis(3);

	private final InetSocketAddress backend = new InetSocketAddress("127.0.0.1", 8081);

	private HttpClientMetricsRecorder ours;

	private HttpClientMetricsRecorder reactorNettys;

	@Setup
	public void setUp() throws ReflectiveOperationException {
		this.ours = new BackendClientMetrics(new SimpleMeterRegistry());
		// Reactor Netty's recorder is package-private and registers in the global registry.
		Metrics.addRegistry(new SimpleMeterRegistry());
		Field instance = Class.forName("reactor.netty.http.client.MicrometerHttpClientMetricsRecorder")
			.getDeclaredField("INSTANCE");
		instance.setAccessible(true);
		this.reactorNettys = (HttpClientMetricsRecorder) instance.get(null);
	}

	@Benchmark
	public void ours() {
		oneCall(this.ours);
	}

	@Benchmark
	public void reactorNettys() {
		oneCall(this.reactorNettys);
	}

	private void oneCall(HttpClientMetricsRecorder recorder) {
		recorder.recordDataSent(this.backend, 180);
		recorder.recordDataSentTime(this.backend, "*", "GET", ELAPSED);
		recorder.recordDataSent(this.backend, "*", 180);
		recorder.recordDataReceived(this.backend, 240);
		recorder.recordDataReceivedTime(this.backend, "*", "GET", "200", ELAPSED);
		recorder.recordResponseTime(this.backend, "*", "GET", "200", ELAPSED);
		recorder.recordDataReceived(this.backend, "*", 240);
	}

}
