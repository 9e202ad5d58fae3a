package dev.strangler.gateway.state.redis;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Follows a pub/sub channel for as long as it is subscribed to: a subscription that fails
 * (Redis down) or ends (connection closed) is made again, backing off up to
 * {@code maxBackoff}.
 */
final class RedisChannels {

	private RedisChannels() {
	}

	static Flux<String> follow(ReactiveStringRedisTemplate redis, String channel, Duration maxBackoff) {
		return Flux.defer(() -> redis.listenToChannel(channel))
			.map((message) -> message.getMessage())
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(maxBackoff))
			.repeatWhen((ends) -> ends.delayElements(maxBackoff));
	}

}
