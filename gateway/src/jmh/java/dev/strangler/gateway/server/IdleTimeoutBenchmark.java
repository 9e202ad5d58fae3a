package dev.strangler.gateway.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
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

/**
 * Cost of a keep-alive connection's idle timeout, per request, on a connection that
 * decodes a request and encodes its response behind the gateway's
 * {@link ConnectionDeadlines}: with Reactor Netty's idle timeout too (an
 * {@code IdleStateHandler} added to the pipeline after each response and removed when the
 * next request is read, as {@code server.netty.idle-timeout} has it: the gateway before,
 * which kept only the head deadline in those handlers, so this slightly overstates it)
 * against the deadlines alone (the idle deadline on their one lazily re-armed timer), next
 * to the bare codec. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="IdleTimeout -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IdleTimeoutBenchmark {

	private static final Duration IDLE = Duration.ofSeconds(75);

	private final ByteBuf request = Unpooled
		.unreleasableBuffer(Unpooled.copiedBuffer("GET /items/1 HTTP/1.1\r\nHost: legacy\r\n\r\n", StandardCharsets.US_ASCII));

	private final EmbeddedChannel reactorNetty = withConnectionDeadlines();

	private final EmbeddedChannel deadlines = withConnectionDeadlines();

	private final EmbeddedChannel neither = new EmbeddedChannel(new HttpServerCodec());

	public IdleTimeoutBenchmark() {
		this.reactorNetty.pipeline().addLast(new ReactorNettyIdleTimeout());
	}

	@Benchmark
	public Object deadlinesAndReactorNettyIdleTimeout() {
		return exchange(this.reactorNetty);
	}

	@Benchmark
	public Object deadlinesAlone() {
		return exchange(this.deadlines);
	}

	@Benchmark
	public Object codecOnly() {
		return exchange(this.neither);
	}

	private Object exchange(EmbeddedChannel channel) {
		channel.writeInbound(this.request.duplicate());
		Object message;
		while ((message = channel.readInbound()) != null) {
			ReferenceCountUtil.release(message);
		}
		channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
		Object written = channel.readOutbound();
		ReferenceCountUtil.release(written);
		channel.runPendingTasks();
		return written;
	}

	private static EmbeddedChannel withConnectionDeadlines() {
		EdgeProblem timedOut = new EdgeProblem(HttpResponseStatus.REQUEST_TIMEOUT, "slow head", new ObjectMapper(),
				new SimpleMeterRegistry());
		ConnectionDeadlines deadlines = new ConnectionDeadlines(Duration.ofSeconds(10), IDLE, timedOut,
				System::nanoTime);
		return new EmbeddedChannel(deadlines.bytes(), new HttpServerCodec(), deadlines.messages());
	}

	@TearDown
	public void close() {
		this.reactorNetty.finishAndReleaseAll();
		this.deadlines.finishAndReleaseAll();
		this.neither.finishAndReleaseAll();
	}

	/**
	 * What Reactor Netty's {@code HttpTrafficHandler} does for its idle timeout: removes
	 * the handler when a request arrives, adds a new one after the codec when the
	 * response has been written.
	 */
	private static final class ReactorNettyIdleTimeout extends ChannelDuplexHandler {

		private static final String NAME = "idleTimeout";

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (message instanceof HttpRequest) {
				ChannelPipeline pipeline = context.pipeline();
				if (pipeline.get(NAME) != null) {
					pipeline.remove(NAME);
				}
			}
			context.fireChannelRead(message);
		}

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
			context.write(message, promise);
			if (message instanceof LastHttpContent) {
				ChannelPipeline pipeline = context.pipeline();
				if (pipeline.get(NAME) == null) {
					pipeline.addAfter(pipeline.context(HttpServerCodec.class).name(), NAME,
							new IdleStateHandler(IDLE.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
				}
			}
		}

	}

}
