package dev.strangler.gateway.state.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.strangler.gateway.state.ClusterEvents.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import dev.strangler.testsupport.RequiresDocker;

/**
 * Cache evictions and reload requests passed from one instance to the others over a real
 * Redis.
 */
@RequiresDocker
class RedisClusterEventsIntegrationTests {

	private static RedisServer redis;

	@TempDir
	Path dir;

	@BeforeAll
	static void startRedis() {
		redis = new RedisServer();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void aRequestReachesEveryOtherInstanceButNotTheOneThatSentIt() {
		RedisClusterEvents a = new RedisClusterEvents(redis.client(), redis.options(this.dir));
		RedisClusterEvents b = new RedisClusterEvents(redis.client(), redis.options(this.dir));
		List<Event> seenByA = new CopyOnWriteArrayList<>();
		List<Event> seenByB = new CopyOnWriteArrayList<>();
		a.subscribe(seenByA::add);
		b.subscribe(seenByB::add);
		a.start();
		b.start();
		try {
			// A subscription is made asynchronously: publish until B hears one.
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
				a.publish(Event.evict("catalog"));
				return !seenByB.isEmpty();
			});
			b.publish(Event.reload());
			await().atMost(Duration.ofSeconds(1)).until(() -> seenByA.contains(Event.reload()));
			assertThat(seenByB).containsOnly(Event.evict("catalog"));
			assertThat(seenByA).containsOnly(Event.reload());
		}
		finally {
			a.close();
			b.close();
		}
	}

}
