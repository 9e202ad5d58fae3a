package dev.strangler.gateway.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Clock;

/**
 * Probes a backend by opening (and closing at once) a TCP connection to its host and
 * port, bounded by a connect timeout. Cheap for the backend (no request reaches its
 * application) and enough to tell "down or unreachable" from "up".
 */
final class TcpBackendProbe implements BackendProbe {

	private final Duration timeout;

	private final Executor executor;

	private final Clock clock;

	TcpBackendProbe(Duration timeout, Executor executor, Clock clock) {
		this.timeout = timeout;
		this.executor = executor;
		this.clock = clock;
	}

	@Override
	public CompletableFuture<Reachability> probe(URI backend) {
		// The answer is due even if the connect never gets a thread: health must never
		// hang.
		long dueMillis = 2 * Math.max(1, this.timeout.toMillis()) + 1000;
		return CompletableFuture.supplyAsync(() -> connect(backend), this.executor)
			.completeOnTimeout(Reachability.down(Duration.ofMillis(dueMillis), "probe got no answer in time"),
					dueMillis, TimeUnit.MILLISECONDS);
	}

	private Reachability connect(URI backend) {
		long start = this.clock.monotonicTime();
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(backend.getHost(), port(backend)),
					(int) Math.max(1, this.timeout.toMillis()));
			return Reachability.up(since(start));
		}
		catch (IOException | IllegalArgumentException | SecurityException ex) {
			return Reachability.down(since(start), ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	private Duration since(long start) {
		return Duration.ofNanos(this.clock.monotonicTime() - start);
	}

	static int port(URI backend) {
		if (backend.getPort() != -1) {
			return backend.getPort();
		}
		return "https".equalsIgnoreCase(backend.getScheme()) ? 443 : 80;
	}

	@Override
	public String toString() {
		return "TcpBackendProbe[timeout=" + this.timeout + "]";
	}

}
