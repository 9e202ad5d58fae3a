package dev.strangler.gateway.progression.redis;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.strangler.gateway.progression.ProgressionJson;
import dev.strangler.gateway.progression.ProgressionState;
import dev.strangler.gateway.progression.ProgressionStore;
import dev.strangler.gateway.state.StateUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Progression states in one Redis hash (route id to the state's JSON), so whichever
 * instance holds the decision lease resumes each route at the step, counts and hold the
 * last holder left it at.
 *
 * <pre class="code">
 * ProgressionStore store = new RedisProgressionStore(redis, "strangler:progressions", Duration.ofSeconds(2));
 * store.save(state); // on the instance that decides
 * store.load("catalog"); // the same state, on any instance
 * </pre>
 *
 * <ul>
 * <li>{@link #load} and {@link #save} go to Redis every time: a decision is never taken
 * on a state remembered from an earlier lease. When Redis cannot be reached they throw
 * {@link StateUnavailableException} after {@code timeout}; the lease cannot be renewed
 * then either, so no decision is lost, only delayed.</li>
 * <li>{@link #lastSeen} (the admin API) falls back to the last state this instance read
 * or wrote while Redis cannot be reached.</li>
 * </ul>
 */
final class RedisProgressionStore implements ProgressionStore {

	private static final Logger logger = LoggerFactory.getLogger(RedisProgressionStore.class);

	private final ReactiveStringRedisTemplate redis;

	private final String key;

	private final Duration timeout;

	private final Map<String, ProgressionState> seen = new ConcurrentHashMap<>();

	private volatile boolean unreachable;

	/**
	 * A store on one hash.
	 * @param redis the Redis connection
	 * @param key the hash's key
	 * @param timeout longest wait for one call ({@code strangler.state.redis.timeout})
	 */
	RedisProgressionStore(ReactiveStringRedisTemplate redis, String key, Duration timeout) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.key = Objects.requireNonNull(key, "key");
		this.timeout = Objects.requireNonNull(timeout, "timeout");
	}

	@Override
	public Optional<ProgressionState> load(String routeId) {
		Optional<String> json = call(this.redis.<String, String>opsForHash()
			.get(this.key, routeId)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty()), "read the progression of route '" + routeId + "'");
		Optional<ProgressionState> state = json.map((value) -> parse(routeId, value));
		state.ifPresentOrElse((value) -> this.seen.put(routeId, value), () -> this.seen.remove(routeId));
		return state;
	}

	@Override
	public Optional<ProgressionState> lastSeen(String routeId) {
		try {
			return load(routeId);
		}
		catch (StateUnavailableException ex) {
			return Optional.ofNullable(this.seen.get(routeId));
		}
	}

	@Override
	public void save(ProgressionState state) {
		call(this.redis.<String, String>opsForHash().put(this.key, state.routeId(), ProgressionJson.write(state)),
				"store the progression of route '" + state.routeId() + "'");
		this.seen.put(state.routeId(), state);
	}

	private ProgressionState parse(String routeId, String json) {
		try {
			return ProgressionJson.read(json);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("The progression of route '" + routeId + "' in Redis (" + this.key
					+ ") is not valid: " + ex.getMessage() + "; delete that field to restart the progression", ex);
		}
	}

	private <T> T call(Mono<T> call, String what) {
		T result;
		try {
			result = call.timeout(this.timeout).block();
			if (result == null) {
				throw new IllegalStateException("no answer");
			}
		}
		catch (RuntimeException ex) {
			if (!this.unreachable) {
				this.unreachable = true;
				logger.error("Progression states in Redis cannot be reached ({}): no progression decision until "
						+ "it answers; the admin API shows the states last seen", ex.toString());
			}
			throw new StateUnavailableException(
					"could not " + what + ": Redis (the shared state store) failed or did not answer within "
							+ this.timeout + " (" + ex + ")",
					ex);
		}
		if (this.unreachable) {
			this.unreachable = false;
			logger.info("Progression states in Redis can be read again");
		}
		return result;
	}

	@Override
	public String toString() {
		return "RedisProgressionStore[" + this.key + "]";
	}

}
