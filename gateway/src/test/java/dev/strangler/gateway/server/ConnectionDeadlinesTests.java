package dev.strangler.gateway.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectionDeadlines} around Netty's HTTP codec on an embedded channel whose time
 * stands still: the test moves it, and the deadlines' clock with it, and Netty runs the
 * checks then due.
 */
class ConnectionDeadlinesTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private final AtomicLong now = new AtomicLong(1_000);

	private EmbeddedChannel channel;

	@AfterEach
	void close() {
		if (this.channel != null) {
			this.channel.finishAndReleaseAll();
		}
	}

	@Test
	void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(75));

		advance(75 * SECOND - 1);
		assertThat(this.channel.isOpen()).isTrue();

		advance(1);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void theIdleClockRunsFromTheEndOfEachResponseNotWhileARequestIsInProgress() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(75));
		advance(70 * SECOND);
		request("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");

		// The backend takes longer than the idle timeout: the connection is not idle.
		advance(100 * SECOND);
		assertThat(this.channel.isOpen()).isTrue();
		respond(HttpResponseStatus.OK);

		advance(75 * SECOND - 1);
		assertThat(this.channel.isOpen()).isTrue();
		advance(1);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aConnectionInSteadyUseStaysOpen() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(75));

		for (int i = 0; i < 100; i++) {
			request("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
			advance(SECOND / 2);
			respond(HttpResponseStatus.OK);
			advance(SECOND);
		}

		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void aHeadTrickledLongerThanTheHeadTimeoutGets408AndTheConnectionCloses() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(75));
		advance(SECOND);
		request("GET / HTTP/1.1\r\n");

		advance(10 * SECOND - 1);
		request("Host");
		assertThat(this.channel.isOpen()).isTrue();
		advance(1);

		assertThat(written()).startsWith("HTTP/1.1 408 Request Timeout");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aHeadThatStartsAfterAnIdleSpellGetsItsWholeHeadTimeout() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(75));
		request("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
		respond(HttpResponseStatus.OK);
		advance(60 * SECOND);

		request("GET /2 HTTP/1.1\r\n");
		advance(10 * SECOND - 1);
		assertThat(this.channel.isOpen()).isTrue();
		advance(1);

		assertThat(written()).contains("HTTP/1.1 408 Request Timeout");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anIdleTimeoutShorterThanTheHeadTimeoutIsKeptToTheNanosecond() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(2));
		advance(SECOND + SECOND / 2);
		request("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
		advance(SECOND / 10);
		respond(HttpResponseStatus.OK);

		// Idle from 1.6 s: the check armed at the start (due at 2 s) finds it not due
		// yet.
		advance(2 * SECOND - 1);
		assertThat(this.channel.isOpen()).isTrue();
		advance(1);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anInterimResponseDoesNotEndTheRequestButTheFinalOneDoes() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(75));
		request("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
		respond(HttpResponseStatus.CONTINUE);

		assertBusyUntilAnsweredThenClosedWhenIdle();
	}

	@Test
	void aPipelinedRequestStillToBeAnsweredKeepsTheConnectionBusy() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(75));
		request("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
		respond(HttpResponseStatus.OK);

		assertBusyUntilAnsweredThenClosedWhenIdle();
	}

	@Test
	void afterASwitchOfProtocolsNeitherDeadlineApplies() {
		open(Duration.ofSeconds(10), Duration.ofSeconds(75));
		request("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
		respond(HttpResponseStatus.SWITCHING_PROTOCOLS);

		advance(1_000 * SECOND);

		assertThat(this.channel.isOpen()).isTrue();
	}

	/** Far longer than the idle timeout: busy; then answered, idle, closed after 75 s. */
	private void assertBusyUntilAnsweredThenClosedWhenIdle() {
		advance(100 * SECOND);
		assertThat(this.channel.isOpen()).isTrue();

		respond(HttpResponseStatus.OK);
		advance(75 * SECOND);
		assertThat(this.channel.isOpen()).isFalse();
	}

	private void open(Duration headTimeout, Duration idleTimeout) {
		EdgeProblem headTimedOut = new EdgeProblem(HttpResponseStatus.REQUEST_TIMEOUT, "head too slow",
				new ObjectMapper(), new SimpleMeterRegistry());
		ConnectionDeadlines deadlines = new ConnectionDeadlines(headTimeout, idleTimeout, headTimedOut, this.now::get);
		this.channel = new EmbeddedChannel(false, false);
		this.channel.freezeTime();
		this.channel.pipeline().addLast(deadlines.bytes(), new HttpServerCodec(), deadlines.messages());
		try {
			// Registered after the handlers are in and the time is frozen: the idle clock
			// starts when the connection becomes active.
			this.channel.register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void request(String bytes) {
		this.channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
		// The decoded request and its parts: what Reactor Netty would handle.
		Object message;
		while ((message = this.channel.readInbound()) != null) {
			ReferenceCountUtil.release(message);
		}
	}

	private void respond(HttpResponseStatus status) {
		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status));
	}

	private String written() {
		StringBuilder text = new StringBuilder();
		ByteBuf bytes;
		while ((bytes = this.channel.readOutbound()) != null) {
			text.append(bytes.toString(StandardCharsets.US_ASCII));
			bytes.release();
		}
		return text.toString();
	}

	private void advance(long nanos) {
		this.now.addAndGet(nanos);
		this.channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
		this.channel.runScheduledPendingTasks();
	}

}
