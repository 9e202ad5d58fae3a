package dev.strangler.gateway.routing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Cost of a backend call's response timeout, per call: Spring Cloud Gateway's (Reactor's
 * {@code timeout} on the response, as NettyRoutingFilter puts it: two delays scheduled
 * on the parallel scheduler and cancelled) against the gateway's
 * {@link BackendResponseDeadline} (a request head written and a response head read on a
 * connection that carries it), each next to the same work without a timeout. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="ResponseTimeout -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseTimeoutBenchmark {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ContextView CALL = BackendResponseTimeout.of(TIMEOUT);

	private final Object response = new Object();

	private final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/items/1");

	private final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);

	private final EmbeddedChannel withDeadline = new EmbeddedChannel(new BackendResponseDeadline(
			(channel) -> CALL.getOrDefault(BackendResponseTimeout.class, 0L), System::nanoTime));

	private final EmbeddedChannel withoutDeadline = new EmbeddedChannel();

	@Benchmark
	public Disposable reactorTimeout() {
		return Flux.just(this.response)
			.timeout(TIMEOUT,
					Mono.defer(() -> Mono.error(new TimeoutException("Response took longer than timeout: " + TIMEOUT))))
			.onErrorMap(TimeoutException.class,
					(ex) -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage(), ex))
			.subscribe();
	}

	@Benchmark
	public Disposable reactorWithoutTimeout() {
		return Flux.just(this.response)
			.onErrorMap(TimeoutException.class,
					(ex) -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage(), ex))
			.subscribe();
	}

	@Benchmark
	public Object connectionDeadline() {
		return call(this.withDeadline);
	}

	@Benchmark
	public Object connectionWithoutDeadline() {
		return call(this.withoutDeadline);
	}

	private Object call(EmbeddedChannel channel) {
		channel.writeOutbound(this.request);
		channel.readOutbound();
		channel.writeInbound(this.head);
		// Checks armed 30 s ago fire, and are re-armed, as on a live connection.
		channel.runPendingTasks();
		return channel.readInbound();
	}

	@TearDown
	public void close() {
		this.withDeadline.finishAndReleaseAll();
		this.withoutDeadline.finishAndReleaseAll();
	}

}
