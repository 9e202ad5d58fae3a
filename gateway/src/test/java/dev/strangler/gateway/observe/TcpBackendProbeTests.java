package dev.strangler.gateway.observe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Clock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import dev.strangler.testsupport.Ports;

class TcpBackendProbeTests {

	private final TcpBackendProbe probe = new TcpBackendProbe(Duration.ofSeconds(2), Runnable::run, Clock.SYSTEM);

	@Test
	void aListeningBackendIsReachable() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Reachability result = this.probe.probe(URI.create("http://127.0.0.1:" + server.getLocalPort())).join();

			assertThat(result.reachable()).isTrue();
			assertThat(result.error()).isNull();
		}
	}

	@Test
	void aClosedPortIsUnreachableWithTheReason() throws IOException {
		Reachability result = this.probe.probe(URI.create("http://127.0.0.1:" + Ports.closed())).join();

		assertThat(result.reachable()).isFalse();
		assertThat(result.error()).startsWith("ConnectException");
	}

	@Test
	void anUnknownHostIsUnreachableNotAnError() {
		Reachability result = this.probe.probe(URI.create("http://no-such-host.invalid")).join();

		assertThat(result.reachable()).isFalse();
	}

	@Test
	void aProbeThatNeverGetsAThreadStillAnswersUnreachable() {
		// An executor that drops the connect: the answer must still come, not hang
		// health.
		TcpBackendProbe starved = new TcpBackendProbe(Duration.ofMillis(10), (task) -> {
		}, Clock.SYSTEM);

		Reachability reachability = starved.probe(URI.create("http://127.0.0.1:1"))
			.orTimeout(10, TimeUnit.SECONDS)
			.join();

		assertThat(reachability.reachable()).isFalse();
		assertThat(reachability.error()).contains("no answer in time");
	}

	@Test
	void theDefaultPortFollowsTheScheme() {
		assertThat(TcpBackendProbe.port(URI.create("http://legacy"))).isEqualTo(80);
		assertThat(TcpBackendProbe.port(URI.create("https://legacy"))).isEqualTo(443);
		assertThat(TcpBackendProbe.port(URI.create("https://legacy:8443"))).isEqualTo(8443);
	}

}
