package dev.strangler.e2e.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import dev.strangler.testsupport.Ports;

/**
 * The gateway's runnable jar as a child process on free loopback ports, for the
 * observability end-to-end tests (the shared harness's classes are package-private to
 * {@code dev.strangler.e2e}).
 */
final class GatewayProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Process process;

	private final int port;

	private final int managementPort;

	private final Path log;

	private GatewayProcess(Process process, int port, int managementPort, Path log) {
		this.process = process;
		this.port = port;
		this.managementPort = managementPort;
		this.log = log;
	}

	/**
	 * Starts the gateway with the given extra arguments and waits until it reports UP.
	 */
	static GatewayProcess start(String name, List<String> args) {
		Path jar = Path.of(System.getProperty("e2e.jar.gateway", "../gateway/target/gateway-0.1.0-SNAPSHOT-exec.jar"));
		Path dir = Path.of(System.getProperty("e2e.build.dir", "target")).resolve("observe").resolve(name);
		try {
			Files.createDirectories(dir);
			int port = Ports.free();
			int managementPort = Ports.free();
			List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
					"-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString(),
					"--server.port=" + port, "--server.address=127.0.0.1", "--management.server.port=" + managementPort,
					"--management.server.address=127.0.0.1", "--strangler.state.dir=" + dir.resolve("state"),
					"--spring.output.ansi.enabled=never"));
			command.addAll(args);
			Path log = dir.resolve("gateway.log");
			Process process = new ProcessBuilder(command).directory(dir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			GatewayProcess gateway = new GatewayProcess(process, port, managementPort, log);
			gateway.awaitUp();
			return gateway;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	Path log() {
		return this.log;
	}

	private void awaitUp() {
		Awaitility.await("gateway UP (log " + this.log + ")")
			.atMost(Duration.ofSeconds(Long.getLong("e2e.startup.timeout", 120)))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("gateway exited: " + Files.readString(this.log));
				}
				try {
					HttpResponse<String> health = HTTP.send(HttpRequest
						.newBuilder(
								URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/readiness"))
						.timeout(Duration.ofSeconds(2))
						.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
					return health.statusCode() == 200;
				}
				catch (IOException ex) {
					return false;
				}
			});
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
