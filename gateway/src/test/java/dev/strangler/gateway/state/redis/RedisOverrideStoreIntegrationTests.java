package dev.strangler.gateway.state.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.state.OverrideSettings;
import dev.strangler.gateway.state.RouteOverride;
import dev.strangler.gateway.state.StateUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import dev.strangler.testsupport.RequiresDocker;

/**
 * Several gateway instances on one real Redis, and Redis failing under them: stopped,
 * restarted, paused so that it hangs.
 */
@RequiresDocker
class RedisOverrideStoreIntegrationTests {

	private static final Actor ALICE = Actor.operator("alice");

	private static RedisServer redis;

	private static ReactiveStringRedisTemplate client;

	private final List<RedisOverrideStore> stores = new CopyOnWriteArrayList<>();

	@TempDir
	Path dir;

	@BeforeAll
	static void startRedis() {
		redis = new RedisServer();
		client = redis.client();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void emptyRedis() {
		redis.flush();
		// A test before may have stopped Redis: the shared client reconnects on its own
		// schedule, and a store started before it has would find Redis unreachable.
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> "PONG".equals(client.getConnectionFactory().getReactiveConnection().ping().block()));
	}

	@AfterEach
	void closeStores() {
		this.stores.forEach(RedisOverrideStore::close);
	}

	private RedisOverrideStore instance(String name) {
		return instance(redis.options(this.dir.resolve(name)));
	}

	private RedisOverrideStore instance(RedisStateOptions options) {
		RedisOverrideStore store = new RedisOverrideStore(client, options, Clock.systemUTC());
		store.start();
		this.stores.add(store);
		return store;
	}

	private static OverrideSettings canary(String percent) {
		return new OverrideSettings(Optional.of(Stage.CANARY), Optional.of(Percent.parse(percent)));
	}

	private static Optional<OverrideSettings> settings(RedisOverrideStore store, String routeId) {
		return store.snapshot().get(routeId).map(RouteOverride::settings);
	}

	@Test
	void aChangeOnOneInstanceIsAppliedByAnotherWithinOneSecond() {
		RedisOverrideStore a = instance("a");
		RedisOverrideStore b = instance("b");
		List<Long> seenByB = new CopyOnWriteArrayList<>();
		b.subscribe((snapshot) -> seenByB.add(snapshot.revision()));
		a.set("catalog", canary("25"), ALICE, "ramp");
		await().atMost(Duration.ofSeconds(1)).until(() -> settings(b, "catalog").equals(Optional.of(canary("25"))));
		assertThat(seenByB).containsExactly(0L, 1L);
	}

	@Test
	void anAutomaticRollbackByOneInstanceIsAnOverrideEveryInstanceApplies() {
		RedisOverrideStore a = instance("a");
		RedisOverrideStore b = instance("b");
		a.set("catalog", new OverrideSettings(Optional.of(Stage.LEGACY), Optional.empty()),
				Actor.automatic("auto-rollback"), "target circuit open");
		await().atMost(Duration.ofSeconds(1))
			.until(() -> b.snapshot().get("catalog").flatMap(RouteOverride::stage).equals(Optional.of(Stage.LEGACY)));
		assertThat(new RedisAuditLog(client, redis.options(this.dir)).recent(1))
			.extracting(AuditEntry::action, AuditEntry::who)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(AuditEntry.Action.AUTO, "auto-rollback"));
	}

	@Test
	void aChangeThatMissedPubSubIsPickedUpByThePeriodicResync() {
		RedisOverrideStore b = instance("b");
		// Written behind the instances' backs, without a publish, as a lost message
		// would leave it.
		redis.exec("redis-cli", "HSET", "test:overrides", "catalog",
				"{\"stage\":\"shadow\",\"who\":\"eve\",\"when\":\"2026-11-22T10:15:30Z\",\"reason\":\"\"}");
		redis.exec("redis-cli", "HSET", "test:route-revisions", "catalog", "1");
		redis.exec("redis-cli", "SET", "test:revision", "1");
		await().atMost(Duration.ofSeconds(2))
			.until(() -> b.snapshot().get("catalog").flatMap(RouteOverride::stage).equals(Optional.of(Stage.SHADOW)));
	}

	@Test
	void theAuditStreamKeepsOnlyItsBoundAndEveryInstanceReadsTheSameEntries() {
		RedisStateOptions bounded = new RedisStateOptions("test", 3, Duration.ofMillis(500), Duration.ofMillis(500),
				Duration.ofSeconds(1), this.dir.resolve("a.json"));
		RedisOverrideStore a = instance(bounded);
		for (int i = 1; i <= 5; i++) {
			a.set("catalog", canary(Integer.toString(i)), ALICE, "step " + i);
		}
		assertThat(redis.exec("redis-cli", "XLEN", "test:audit")).isEqualTo("3");
		List<AuditEntry> fromA = new RedisAuditLog(client, bounded).recent("catalog", 10);
		List<AuditEntry> fromB = new RedisAuditLog(redis.client(), redis.options(this.dir)).recent("catalog", 10);
		assertThat(fromA).extracting(AuditEntry::reason).containsExactly("step 5", "step 4", "step 3");
		assertThat(fromB).isEqualTo(fromA);
	}

	@Test
	void redisStoppedKeepsTheLastStateRefusesWritesAndResyncsOnceBackWithNothingLost() {
		RedisOverrideStore a = instance("a");
		RedisOverrideStore b = instance("b");
		a.set("catalog", canary("25"), ALICE, "before the outage");
		await().atMost(Duration.ofSeconds(1)).until(() -> settings(b, "catalog").equals(Optional.of(canary("25"))));
		redis.stop();
		try {
			assertThatExceptionOfType(StateUnavailableException.class)
				.isThrownBy(() -> a.set("catalog", canary("50"), ALICE, "during the outage"))
				.withMessageContaining("Redis");
			await().atMost(Duration.ofSeconds(6)).until(() -> !b.status().reachable());
			assertThat(settings(a, "catalog")).contains(canary("25"));
			assertThat(settings(b, "catalog")).contains(canary("25"));
		}
		finally {
			redis.start();
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> a.status().reachable() && b.status().reachable());
		a.set("catalog", canary("75"), ALICE, "after the outage");
		await().atMost(Duration.ofSeconds(1)).until(() -> settings(b, "catalog").equals(Optional.of(canary("75"))));
		assertThat(new RedisAuditLog(client, redis.options(this.dir)).recent("catalog", 10))
			.extracting(AuditEntry::reason)
			.containsExactly("after the outage", "before the outage");
	}

	@Test
	void redisPausedSoItHangsMakesWritesFailWithinTheTimeoutAndTrafficKeepsItsState() {
		RedisOverrideStore a = instance("a");
		a.set("catalog", canary("25"), ALICE, "");
		redis.pause();
		try {
			long started = System.nanoTime();
			assertThatExceptionOfType(StateUnavailableException.class)
				.isThrownBy(() -> a.set("catalog", canary("50"), ALICE, ""))
				.withMessageContaining("did not answer in time");
			// the 2-s timeout of RedisServer.options, not a hang
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
			assertThat(a.status().reachable()).isFalse();
			assertThat(settings(a, "catalog")).contains(canary("25"));
		}
		finally {
			redis.unpause();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> a.status().reachable());
		a.set("catalog", canary("60"), ALICE, "");
		assertThat(a.resync().get("catalog").map(RouteOverride::settings)).contains(canary("60"));
	}

	@Test
	void anInstanceStartingWhileRedisIsDownStartsFromItsLocalSnapshot() {
		RedisOverrideStore a = instance("a");
		a.set("catalog", canary("25"), ALICE, "");
		a.close();
		redis.stop();
		try {
			RedisOverrideStore restarted = instance("a");
			assertThat(settings(restarted, "catalog")).contains(canary("25"));
			assertThat(restarted.status().reachable()).isFalse();
		}
		finally {
			redis.start();
		}
	}

	@Test
	void anInstanceStartingWhileRedisIsDownWithoutSnapshotWaitsThenFailsClearly() {
		redis.stop();
		try {
			long started = System.nanoTime();
			assertThatExceptionOfType(StateUnavailableException.class).isThrownBy(() -> instance("fresh"))
				.withMessageContaining("could not be reached within PT1S")
				.withMessageContaining("no local snapshot");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900),
					Duration.ofSeconds(10));
			assertThat(Files.exists(this.dir.resolve("fresh").resolve("redis-snapshot.json"))).isFalse();
		}
		finally {
			redis.start();
		}
	}

}
