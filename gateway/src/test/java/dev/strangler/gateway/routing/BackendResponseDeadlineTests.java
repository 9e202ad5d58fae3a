package dev.strangler.gateway.routing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BackendResponseDeadline} on an embedded channel whose time stands still: the
 * test moves it, and the handler's clock with it, and Netty runs the checks then due.
 */
class BackendResponseDeadlineTests {

	private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

	private final AtomicLong now = new AtomicLong(1_000);

	private final AtomicLong timeout = new AtomicLong(TIMEOUT);

	private Throwable caught;

	private final EmbeddedChannel channel = new EmbeddedChannel(
			new BackendResponseDeadline((channel) -> this.timeout.get(), this.now::get),
			new ChannelInboundHandlerAdapter() {
				@Override
				public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
					BackendResponseDeadlineTests.this.caught = cause;
				}
			});

	BackendResponseDeadlineTests() {
		this.channel.freezeTime();
	}

	@Test
	void aResponseHeadThatDoesNotArriveInTimeFailsTheCallAsAGatewayTimeoutAndClosesTheConnection() {
		request();

		advance(TIMEOUT - 1);
		assertThat(this.caught).isNull();
		assertThat(this.channel.isOpen()).isTrue();

		advance(1);
		assertThat(this.caught).isInstanceOf(ResponseStatusException.class)
			.hasMessageContaining("504 GATEWAY_TIMEOUT")
			.hasMessageContaining("Response took longer than timeout: PT30S")
			.hasCauseInstanceOf(TimeoutException.class);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aResponseHeadInTimeEndsTheDeadlineAndTheConnectionStaysForTheNextCall() {
		request();
		advance(TIMEOUT / 2);
		response(HttpResponseStatus.OK);

		advance(TIMEOUT);

		assertThat(this.caught).isNull();
		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void aLaterCallOnTheSameConnectionGetsItsWholeTimeoutFromItsOwnRequest() {
		request();
		advance(TIMEOUT / 2);
		response(HttpResponseStatus.OK);
		advance(TIMEOUT / 4);
		request();

		// The check armed by the first call fires early and waits for what is left.
		advance(TIMEOUT / 2);
		assertThat(this.caught).isNull();
		advance(TIMEOUT / 2 - 1);
		assertThat(this.caught).isNull();

		advance(1);
		assertThat(this.caught).isInstanceOf(ResponseStatusException.class);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anInterimResponseDoesNotEndTheDeadline() {
		request();
		response(HttpResponseStatus.CONTINUE);

		advance(TIMEOUT);

		assertThat(this.caught).isInstanceOf(ResponseStatusException.class);
	}

	@Test
	void aSwitchToWebSocketEndsTheDeadline() {
		request();
		response(HttpResponseStatus.SWITCHING_PROTOCOLS);

		advance(TimeUnit.DAYS.toNanos(1));

		assertThat(this.caught).isNull();
		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void aCallWithoutTimeoutIsNeverCutAndSchedulesNothing() {
		this.timeout.set(0);
		request();

		assertThat(this.channel.hasPendingTasks()).isFalse();
		advance(TimeUnit.DAYS.toNanos(1));

		assertThat(this.caught).isNull();
		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void aShorterTimeoutThanTheCheckPendingIsKept() {
		request();
		response(HttpResponseStatus.OK);
		this.timeout.set(TimeUnit.SECONDS.toNanos(1));
		request();

		advance(TimeUnit.SECONDS.toNanos(1));

		assertThat(this.caught).isInstanceOf(ResponseStatusException.class)
			.hasMessageContaining("Response took longer than timeout: PT1S");
	}

	@Test
	void theTimeoutOfACallIsTheOneItsContextGives() {
		assertThat(BackendResponseTimeout.of(Duration.ofSeconds(30)).<Long>get(BackendResponseTimeout.class))
			.isEqualTo(TIMEOUT);
		assertThat(BackendResponseTimeout.of(null).<Long>get(BackendResponseTimeout.class)).isZero();
		assertThat(BackendResponseTimeout.of(Duration.ofSeconds(-1)).<Long>get(BackendResponseTimeout.class)).isZero();
		assertThat(BackendResponseTimeout.nanosOf(this.channel)).isZero();
	}

	private void request() {
		this.channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/items/1"));
		this.channel.releaseOutbound();
	}

	private void response(HttpResponseStatus status) {
		this.channel.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status));
		this.channel.releaseInbound();
	}

	private void advance(long nanos) {
		this.now.addAndGet(nanos);
		this.channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
		this.channel.runScheduledPendingTasks();
	}

}
