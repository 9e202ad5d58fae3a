package dev.strangler.gateway.control;

import dev.strangler.gateway.state.redis.RedisOverrideStore;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code stateStore}: DOWN while Redis cannot be reached. It is not part
 * of the readiness group: traffic goes on with the last state seen, only admin writes
 * wait for Redis.
 */
final class StateStoreHealthIndicator extends AbstractHealthIndicator {

	private final RedisOverrideStore store;

	StateStoreHealthIndicator(RedisOverrideStore store) {
		super("State store health check failed");
		this.store = store;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		RedisOverrideStore.Status status = this.store.status();
		builder.status(status.reachable() ? "UP" : "DOWN")
			.withDetail("store", "redis")
			.withDetail("revision", status.revision());
		status.lastSync().ifPresent((when) -> builder.withDetail("lastSync", when.toString()));
		status.problem().ifPresent((problem) -> builder.withDetail("error", problem));
	}

}
