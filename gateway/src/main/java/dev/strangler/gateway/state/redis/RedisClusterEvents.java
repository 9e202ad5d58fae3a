package dev.strangler.gateway.state.redis;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.strangler.gateway.state.ClusterEvents;
import dev.strangler.gateway.state.OverrideStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * {@link ClusterEvents} over a Redis pub/sub channel. Each message is
 * {@code <origin> <kind> <route>}; an instance ignores its own.
 *
 * <pre>{@code
 * RedisClusterEvents events = new RedisClusterEvents(template, options);
 * events.start();
 * }</pre>
 *
 * Pub/sub delivers to the instances connected at the time: one that is disconnected
 * misses the request (its cache entries then expire by their TTL; its routes are reloaded
 * by its own file poller).
 */
public final class RedisClusterEvents implements ClusterEvents, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisClusterEvents.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisStateOptions options;

	private final String origin = UUID.randomUUID().toString();

	private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

	private volatile Disposable following;

	/**
	 * Creates the events.
	 * @param redis the Redis connection
	 * @param options the key prefix and the timeout
	 */
	public RedisClusterEvents(ReactiveStringRedisTemplate redis, RedisStateOptions options) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.options = Objects.requireNonNull(options, "options");
		this.keys = new RedisKeys(options.keyPrefix());
	}

	/**
	 * Starts following the channel.
	 */
	public void start() {
		this.following = RedisChannels.follow(this.redis, this.keys.events(), this.options.resyncInterval())
			.publishOn(Schedulers.boundedElastic())
			.subscribe(this::received);
	}

	@Override
	public void publish(Event event) {
		String message = this.origin + " " + event.kind().name() + " " + event.routeId();
		this.redis.convertAndSend(this.keys.events(), message)
			.timeout(this.options.timeout())
			.subscribe(null, (ex) -> logger.warn("Could not pass {} on to the other gateway instances: {}", event,
					ex.toString()));
	}

	@Override
	public OverrideStore.Subscription subscribe(Consumer<Event> listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
		return () -> this.listeners.remove(listener);
	}

	@Override
	public void close() {
		Disposable current = this.following;
		if (current != null) {
			current.dispose();
		}
	}

	private void received(String message) {
		String[] parts = message.split(" ", 3);
		if (parts.length < 2 || parts[0].equals(this.origin)) {
			return;
		}
		Event event;
		try {
			event = new Event(Kind.valueOf(parts[1]), (parts.length > 2) ? parts[2] : "");
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignored an unknown cluster event '{}' (sent by a newer gateway?)", message);
			return;
		}
		for (Consumer<Event> listener : this.listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException ex) {
				logger.error("Cluster event listener {} failed on {}", listener, event, ex);
			}
		}
	}

	@Override
	public String toString() {
		return "RedisClusterEvents[" + this.keys.events() + "]";
	}

}
