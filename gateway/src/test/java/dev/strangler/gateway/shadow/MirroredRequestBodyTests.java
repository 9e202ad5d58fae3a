package dev.strangler.gateway.shadow;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.compare.DiffBuffer;
import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.compare.ResponseComparator;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a mirrored request body ends when legacy's client stops reading it: Reactor Netty
 * cancels the body once the backend has answered, which for a body with a
 * {@code Content-Length} can come before the end of the body is signalled.
 */
class MirroredRequestBodyTests {

	private static final String BODY = "{\"sku\":\"A-1\",\"qty\":2}";

	private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

	private final ShadowReports reports = new ShadowReports(new SimpleMeterRegistry(), new DiffBuffer(10),
			new NoiseModel());

	private final ShadowLimiter limiter = new ShadowLimiter(4);

	private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);

	private final Mirror.MirrorServices services = new Mirror.MirrorServices(null, this.limiter,
			new MirrorWorker(this.loops), null,
			new ShadowJudge(new ResponseComparator(), new NoiseModel(), this.reports, Clock.systemUTC()),
			Schedulers.immediate(), 64 * 1024, new BodyBudget(1024 * 1024));

	@AfterEach
	void stopLoops() {
		this.loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
	}

	@Test
	void bodyCancelledAfterEveryDeclaredByteIsMirrored() {
		Mirror mirror = mirror();
		MirroredRequestBody request = new MirroredRequestBody(post(BODY.length()), mirror);

		readFirstBufferThenCancel(request);

		assertThat(this.reports.stats("orders").skipped()).isZero();
		assertThat(mirror.wantsLegacyResponse()).as("still waiting for legacy's answer").isTrue();
		assertThat(this.limiter.inFlight()).as("slot still held").isEqualTo(1);
	}

	@Test
	void bodyCancelledBeforeItsLastDeclaredByteIsSkipped() {
		Mirror mirror = mirror();
		MirroredRequestBody request = new MirroredRequestBody(post(BODY.length() + 10), mirror);

		readFirstBufferThenCancel(request);

		assertThat(this.reports.stats("orders").skipped()).isEqualTo(1);
		assertThat(mirror.wantsLegacyResponse()).isFalse();
		assertThat(this.limiter.inFlight()).as("slot released").isZero();
	}

	@Test
	void chunkedBodyCancelledBeforeItsEndIsSkipped() {
		Mirror mirror = mirror();
		MockServerHttpRequest chunked = MockServerHttpRequest.post("http://gateway/api/orders/7/lines")
			.header(HttpHeaders.TRANSFER_ENCODING, "chunked")
			.body(bodyThatNeverEnds());
		MirroredRequestBody request = new MirroredRequestBody(chunked, mirror);

		readFirstBufferThenCancel(request);

		assertThat(this.reports.stats("orders").skipped()).isEqualTo(1);
		assertThat(mirror.wantsLegacyResponse()).isFalse();
	}

	private Mirror mirror() {
		assertThat(this.limiter.tryAcquire()).isTrue();
		return new Mirror(route(), post(BODY.length()), null, null, null, this.services);
	}

	private MockServerHttpRequest post(long contentLength) {
		return MockServerHttpRequest.post("http://gateway/api/orders/7/lines")
			.contentLength(contentLength)
			.body(bodyThatNeverEnds());
	}

	/** All of {@link #BODY} in one buffer, and then no end signal. */
	private Flux<DataBuffer> bodyThatNeverEnds() {
		return Flux.just(BODY)
			.map((text) -> (DataBuffer) this.buffers.wrap(text.getBytes(StandardCharsets.UTF_8)))
			.concatWith(Flux.never());
	}

	private static void readFirstBufferThenCancel(MirroredRequestBody request) {
		StepVerifier.create(request.getBody())
			.assertNext((buffer) -> assertThat(buffer.toString(StandardCharsets.UTF_8)).isEqualTo(BODY))
			.thenCancel()
			.verify();
	}

	private static Route route() {
		return new Route("orders", "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/orders/**")), Set.of()),
				URI.create("http://legacy"), URI.create("http://target"), Stage.SHADOW, Route.Rollout.DEFAULT,
				Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

}
