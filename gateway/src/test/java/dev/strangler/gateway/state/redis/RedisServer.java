package dev.strangler.gateway.state.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.ClientOptions;
import org.awaitility.Awaitility;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import dev.strangler.testsupport.Ports;

/**
 * A Redis container (the local {@code redis:7.0} stand-in) on a fixed host port, so that
 * it can be stopped, started and paused under the clients' feet and they reconnect to the
 * same address; with an append-only file, so a restart loses nothing.
 */
final class RedisServer implements AutoCloseable {

	private final int port = Ports.free();

	@SuppressWarnings("resource")
	private final GenericContainer<?> container = new GenericContainer<>("redis:7.0")
		.withCommand("redis-server", "--appendonly", "yes", "--appendfsync", "always")
		.withExposedPorts(6379)
		.waitingFor(Wait.forListeningPort())
		.withStartupTimeout(Duration.ofSeconds(60));

	private final List<LettuceConnectionFactory> factories = new CopyOnWriteArrayList<>();

	RedisServer() {
		this.container.setPortBindings(List.of(this.port + ":6379"));
		this.container.start();
	}

	/**
	 * Where Docker publishes ports (the bridge gateway when the tests themselves run in a
	 * container).
	 */
	String host() {
		return this.container.getHost();
	}

	int port() {
		return this.port;
	}

	/**
	 * A client as the gateway configures it: commands are rejected, not buffered, while
	 * disconnected.
	 */
	ReactiveStringRedisTemplate client() {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build())
			.commandTimeout(Duration.ofSeconds(5))
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(host(), this.port), client);
		factory.afterPropertiesSet();
		factory.start();
		this.factories.add(factory);
		return new ReactiveStringRedisTemplate(factory);
	}

	void flush() {
		exec("redis-cli", "FLUSHALL");
	}

	String exec(String... command) {
		try {
			return this.container.execInContainer(command).getStdout().trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	void stop() {
		this.container.getDockerClient().stopContainerCmd(this.container.getContainerId()).exec();
	}

	/**
	 * Starts the stopped container again and returns once Redis answers inside it.
	 */
	void start() {
		this.container.getDockerClient().startContainerCmd(this.container.getContainerId()).exec();
		Awaitility.await("Redis answers after its restart")
			.atMost(Duration.ofSeconds(30))
			.until(() -> "PONG".equals(exec("redis-cli", "PING")));
	}

	void pause() {
		this.container.getDockerClient().pauseContainerCmd(this.container.getContainerId()).exec();
	}

	void unpause() {
		this.container.getDockerClient().unpauseContainerCmd(this.container.getContainerId()).exec();
	}

	// A 2-s timeout: 500 ms ran out on a busy machine with several containers running.
	RedisStateOptions options(Path dir) {
		return new RedisStateOptions("test", 10000, Duration.ofMillis(500), Duration.ofSeconds(2),
				Duration.ofSeconds(1), dir.resolve("redis-snapshot.json"));
	}

	@Override
	public void close() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
		this.container.stop();
	}

}
