package dev.strangler.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import dev.strangler.testsupport.Ports;

/**
 * One Spring Boot jar running as a real child process on free loopback ports.
 *
 * <pre>{@code
 * AppProcess legacy = AppProcess.builder("legacy", jar).arg("--spring.profiles.active=demo").start();
 * legacy.awaitHealthy();
 * HttpResponse<byte[]> response = Http.get(legacy.uri("/api/products/1"));
 * legacy.close();
 * }</pre>
 */
final class AppProcess implements AutoCloseable {

	/**
	 * Bound for a start-up. A Spring Boot app seeding its database takes 25 s on two busy
	 * cores; {@code -De2e.startup.timeout=<seconds>} adjusts it for slower machines.
	 */
	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(Long.getLong("e2e.startup.timeout", 120));

	private static final Duration STOP_GRACE = Duration.ofSeconds(15);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String name;

	private final Process process;

	private final int port;

	private final int managementPort;

	private final Path log;

	private final Thread shutdownHook;

	private AppProcess(String name, Process process, int port, int managementPort, Path log) {
		this.name = name;
		this.process = process;
		this.port = port;
		this.managementPort = managementPort;
		this.log = log;
		// A crashed or interrupted test JVM must not leave servers holding ports on the
		// machine.
		this.shutdownHook = new Thread(this::stopProcess, "stop-" + name);
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	static Builder builder(String name, Path jar) {
		return new Builder(name, jar);
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	int managementPort() {
		return this.managementPort;
	}

	URI baseUri() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/**
	 * Resolves a raw, already encoded path and query against this process.
	 */
	URI uri(String pathAndQuery) {
		return URI.create(baseUri() + pathAndQuery);
	}

	URI managementUri(String path) {
		return URI.create("http://127.0.0.1:" + this.managementPort + path);
	}

	Path log() {
		return this.log;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Waits until {@code /actuator/health} reports {@code UP}; fails at once, with the
	 * log tail, if the process exits first.
	 */
	AppProcess awaitHealthy() {
		return awaitUp("/actuator/health");
	}

	/**
	 * Waits until the liveness probe reports {@code UP}: for a gateway whose monolith is
	 * down on purpose, which is alive but, rightly, not healthy.
	 */
	AppProcess awaitLive() {
		return awaitUp("/actuator/health/liveness");
	}

	private AppProcess awaitUp(String healthPath) {
		try {
			Awaitility.await(this.name + " reports UP")
				.atMost(STARTUP_TIMEOUT)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> isUp(healthPath));
			return this;
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException(this.name + " did not report UP within " + STARTUP_TIMEOUT + " (health "
					+ managementUri(healthPath) + ", log " + this.log + "):\n" + logTail(), ex);
		}
	}

	private boolean isUp(String healthPath) {
		if (!this.process.isAlive()) {
			throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
					+ " before becoming healthy (log " + this.log + "):\n" + logTail());
		}
		try {
			HttpResponse<byte[]> response = Http
				.send(HttpRequest.newBuilder(managementUri(healthPath)).timeout(Duration.ofSeconds(2)).GET().build());
			if (response.statusCode() != 200) {
				return false;
			}
			JsonNode status = JSON.readTree(response.body()).path("status");
			return "UP".equals(status.asText());
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * What a failure message needs from the log: every "Caused by" line (the root cause
	 * of a failed start sits below a long stack trace) and the last lines written.
	 */
	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			List<String> causes = lines.stream().filter((line) -> line.startsWith("Caused by:")).limit(10).toList();
			List<String> last = lines.subList(Math.max(0, lines.size() - 40), lines.size());
			return (causes.isEmpty() ? "" : String.join("\n", causes) + "\n--- last lines ---\n")
					+ String.join("\n", last);
		}
		catch (IOException | UncheckedIOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	@Override
	public void close() {
		stopProcess();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is already shutting down and runs the hook itself.
		}
	}

	private void stopProcess() {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		if (!awaitExit(STOP_GRACE)) {
			this.process.destroyForcibly();
			awaitExit(STOP_GRACE);
		}
	}

	private boolean awaitExit(Duration timeout) {
		try {
			this.process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException | ExecutionException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public String toString() {
		return this.name + "@" + baseUri() + (this.process.isAlive() ? "" : " (exited)");
	}

	/**
	 * How a command run by {@link Builder#runToExit(Duration)} ended.
	 *
	 * @param status its exit status
	 * @param output what it wrote to standard output and standard error
	 * @param log the log file holding the command line and the output
	 */
	record Exited(int status, String output, Path log) {

	}

	/**
	 * Describes one process to start.
	 */
	static final class Builder {

		/**
		 * Small heap, C1 only, serial GC: several JVMs share two cores during the suite.
		 */
		private static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-XX:+ExitOnOutOfMemoryError");

		private final String name;

		private final Path jar;

		private final List<String> args = new ArrayList<>();

		private final Map<String, String> env = new LinkedHashMap<>();

		private boolean separateManagementPort;

		private Builder(String name, Path jar) {
			if (!Files.isRegularFile(jar)) {
				throw new IllegalArgumentException(name + ": no runnable jar at " + jar + " (build the module first)");
			}
			this.name = name;
			this.jar = jar;
		}

		Builder arg(String arg) {
			this.args.add(arg);
			return this;
		}

		Builder env(String key, String value) {
			this.env.put(key, value);
			return this;
		}

		/**
		 * Serves Actuator on its own free port ({@code management.server.port}).
		 */
		Builder separateManagementPort() {
			this.separateManagementPort = true;
			return this;
		}

		/**
		 * Launches the process and returns at once; call {@link #awaitHealthy()} next.
		 */
		AppProcess start() {
			Path workDir = E2eDirectories.work(this.name);
			Path log = E2eDirectories.log(this.name);
			int port = Ports.free();
			int managementPort = this.separateManagementPort ? Ports.free() : port;
			List<String> command = new ArrayList<>();
			command.add(javaCommand());
			command.addAll(JVM_FLAGS);
			command.add("-Djava.io.tmpdir=" + workDir);
			command.add("-jar");
			command.add(this.jar.toString());
			command.add("--server.port=" + port);
			command.add("--server.address=127.0.0.1");
			if (this.separateManagementPort) {
				command.add("--management.server.port=" + managementPort);
				command.add("--management.server.address=127.0.0.1");
			}
			command.add("--spring.output.ansi.enabled=never");
			command.addAll(this.args);
			ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
			builder.environment().putAll(this.env);
			try {
				// The command line heads the log, so a failure report shows how the
				// process was started.
				Files.writeString(log, String.join(" ", command) + "\n\n", StandardCharsets.UTF_8);
				return new AppProcess(this.name, builder.start(), port, managementPort, log);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start " + this.name, ex);
			}
		}

		/**
		 * Runs the jar as a command rather than a server (without the server options
		 * {@link #start()} adds), waits for it to exit and returns its exit status and
		 * output, which its log holds too.
		 */
		Exited runToExit(Duration timeout) {
			Path workDir = E2eDirectories.work(this.name);
			Path log = E2eDirectories.log(this.name);
			List<String> command = new ArrayList<>();
			command.add(javaCommand());
			command.addAll(JVM_FLAGS);
			command.add("-Djava.io.tmpdir=" + workDir);
			command.add("-jar");
			command.add(this.jar.toString());
			command.addAll(this.args);
			ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
			builder.environment().putAll(this.env);
			Process process = null;
			try {
				Files.writeString(log, String.join(" ", command) + "\n\n", StandardCharsets.UTF_8);
				long outputFrom = Files.size(log);
				process = builder.start();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException(
							this.name + " did not exit within " + timeout + " (log " + log + ")");
				}
				byte[] written = Files.readAllBytes(log);
				String output = new String(written, (int) outputFrom, written.length - (int) outputFrom,
						StandardCharsets.UTF_8);
				return new Exited(process.exitValue(), output, log);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot run " + this.name, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while " + this.name + " ran", ex);
			}
			finally {
				if (process != null && process.isAlive()) {
					process.destroyForcibly();
				}
			}
		}

		private static String javaCommand() {
			// The same JVM that runs the tests, so JDK 17 and 25 builds each test
			// themselves.
			return ProcessHandle.current()
				.info()
				.command()
				.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		}

	}

}
