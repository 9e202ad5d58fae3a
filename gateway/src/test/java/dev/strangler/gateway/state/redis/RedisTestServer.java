package dev.strangler.gateway.state.redis;

import java.nio.file.Path;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * This package's Redis fixture ({@link RedisServer}) for the tests of features that keep
 * their own state in Redis, in other packages (progression).
 */
public final class RedisTestServer implements AutoCloseable {

	private final RedisServer server = new RedisServer();

	/**
	 * @return a client configured as the gateway's
	 */
	public ReactiveStringRedisTemplate client() {
		return this.server.client();
	}

	/**
	 * @param dir a directory for the local snapshot @return the store's options
	 */
	public RedisStateOptions options(Path dir) {
		return this.server.options(dir);
	}

	/** Empties Redis. */
	public void flush() {
		this.server.flush();
	}

	/** Freezes Redis: calls hang until {@link #unpause()}. */
	public void pause() {
		this.server.pause();
	}

	/** Lets a paused Redis answer again. */
	public void unpause() {
		this.server.unpause();
	}

	/**
	 * @return where Redis is published
	 */
	public String host() {
		return this.server.host();
	}

	/**
	 * @return its port
	 */
	public int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.close();
	}

}
