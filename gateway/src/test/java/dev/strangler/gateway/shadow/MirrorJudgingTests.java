package dev.strangler.gateway.shadow;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.compare.DiffBuffer;
import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.compare.ResponseComparator;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where a mirror's answers are judged, with a real target over HTTP on 127.0.0.1: the
 * same small bytes as legacy's answer are a match found on the mirror's event loop,
 * without a hop to the comparison threads; anything else goes to the comparison engine on
 * those threads, as before.
 */
class MirrorJudgingTests {

	private static final String JSON = "{\"id\":7,\"name\":\"lamp\"}";

	private final ShadowReports reports = new ShadowReports(new SimpleMeterRegistry(), new DiffBuffer(10),
			new NoiseModel());

	private final ShadowLimiter limiter = new ShadowLimiter(4);

	private final NioEventLoopGroup mirrorLoops = new NioEventLoopGroup(1);

	/** The comparison threads, counting what is handed to them. */
	private final ExecutorService comparisonThreads = Executors.newSingleThreadExecutor();

	private final AtomicInteger comparisonTasks = new AtomicInteger();

	private volatile String targetBody = JSON;

	private final DisposableServer target = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.handle((request, response) -> response.header("Content-Type", "application/json")
			.sendString(Mono.fromSupplier(() -> this.targetBody)))
		.bindNow();

	private final Mirror.MirrorServices services = services();

	@AfterEach
	void stop() {
		this.target.disposeNow();
		this.mirrorLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
		this.comparisonThreads.shutdownNow();
	}

	@Test
	void theSameSmallBytesAreAMatchFoundWithoutTheComparisonThreads() {
		mirror(JSON);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.reports.stats("orders").match() == 1);
		assertThat(this.comparisonTasks).hasValue(0);
		// the slot is given back once the mirror is judged
		await().atMost(Duration.ofSeconds(10)).until(() -> this.limiter.inFlight() == 0);
	}

	@Test
	void otherBytesGoToTheComparisonEngineOnItsThreads() {
		judgedByTheEngine("{\"id\":7,\"name\":\"desk\"}", ShadowStats::mismatch);
	}

	@Test
	void equalJsonInOtherBytesIsStillAMatchOfTheEngine() {
		judgedByTheEngine("{ \"id\": 7, \"name\": \"lamp\" }", ShadowStats::match);
	}

	@Test
	void aLargeBodyGoesToTheComparisonThreadsEvenWhenTheBytesAreTheSame() {
		String large = "{\"text\":\"" + "x".repeat(Mirror.SAME_BYTES_MAX_BODY) + "\"}";
		this.targetBody = large;

		mirror(large);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.reports.stats("orders").match() == 1);
		assertThat(this.comparisonTasks).hasValue(1);
	}

	/**
	 * Mirrors legacy's {@link #JSON} to a target answering {@code targetBody} and waits
	 * for the one verdict {@code counted} counts, which the comparison threads gave.
	 */
	private void judgedByTheEngine(String targetBody, ToLongFunction<ShadowStats> counted) {
		this.targetBody = targetBody;

		mirror(JSON);

		await().atMost(Duration.ofSeconds(10)).until(() -> counted.applyAsLong(this.reports.stats("orders")) == 1);
		assertThat(this.comparisonTasks).hasValue(1);
	}

	/** A mirrored GET whose legacy answer is {@code legacyBody}, sent once it is kept. */
	private void mirror(String legacyBody) {
		assertThat(this.limiter.tryAcquire()).isTrue();
		Mirror mirror = new Mirror(route(), MockServerHttpRequest.get("http://gateway/api/orders/7").build(), null,
				null, null, this.services);
		mirror.requestBody(null);
		FrontMirror front = new FrontMirror(mirror, List.of());
		HttpHeaders headers = new DefaultHttpHeaders().add("Content-Type", "application/json");
		ByteBuf body = Unpooled.copiedBuffer(legacyBody, StandardCharsets.UTF_8);
		// as the client's connection does once it has written the buffer
		front.legacyAnswer(200, headers, Flux.just(body)).doOnNext(ByteBuf::release).blockLast();
		front.exchangeEnded();
	}

	private Mirror.MirrorServices services() {
		ShadowClient client = new ShadowClient(HttpClient.create().runOn(this.mirrorLoops), ObservationRegistry.NOOP,
				new SimpleMeterRegistry(), null);
		NoiseModel noise = new NoiseModel();
		Executor counting = (task) -> {
			this.comparisonTasks.incrementAndGet();
			this.comparisonThreads.execute(task);
		};
		return new Mirror.MirrorServices(client, this.limiter, new MirrorWorker(this.mirrorLoops),
				new SecondLook(null, new ShadowSampler(() -> 0.0), noise, this.limiter),
				new ShadowJudge(new ResponseComparator(), noise, this.reports, Clock.systemUTC()),
				Schedulers.fromExecutor(counting), 64 * 1024, new BodyBudget(1024 * 1024));
	}

	private Route route() {
		return new Route("orders", "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/orders/**")), Set.of()),
				URI.create("http://legacy"), URI.create("http://127.0.0.1:" + this.target.port()), Stage.SHADOW,
				Route.Rollout.DEFAULT, Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

}
