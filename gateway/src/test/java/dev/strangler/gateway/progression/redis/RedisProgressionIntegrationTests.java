package dev.strangler.gateway.progression.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.strangler.gateway.progression.Phase;
import dev.strangler.gateway.progression.ProgressionState;
import dev.strangler.gateway.state.StateUnavailableException;
import dev.strangler.gateway.state.redis.RedisTestServer;
import dev.strangler.testsupport.RequiresDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The decision lease and the progression states of several instances on one real Redis,
 * and Redis hanging under them.
 */
@RequiresDocker
class RedisProgressionIntegrationTests {

	private static final ProgressionKeys KEYS = new ProgressionKeys("test");

	private static final Duration TTL = Duration.ofSeconds(2);

	private static RedisTestServer redis;

	private static ReactiveStringRedisTemplate client;

	private final List<RedisDecisionLease> leases = new CopyOnWriteArrayList<>();

	@TempDir
	Path dir;

	@BeforeAll
	static void startRedis() {
		redis = new RedisTestServer();
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
	}

	@AfterEach
	void releaseLeases() {
		this.leases.forEach(RedisDecisionLease::release);
	}

	private RedisDecisionLease lease(String instance, Duration ttl) {
		RedisDecisionLease lease = new RedisDecisionLease(client, KEYS.lease(), instance, ttl,
				redis.options(this.dir).timeout());
		this.leases.add(lease);
		return lease;
	}

	private RedisProgressionStore store() {
		return new RedisProgressionStore(client, KEYS.states(), Duration.ofSeconds(1));
	}

	@Nested
	class Lease {

		@Test
		void ofTwoInstancesExactlyOneHoldsTheLeaseAndBothKnowWhich() {
			RedisDecisionLease a = lease("gw-a", TTL);
			RedisDecisionLease b = lease("gw-b", TTL);
			for (int tick = 0; tick < 3; tick++) {
				assertThat(a.holds()).isTrue();
				assertThat(b.holds()).isFalse();
			}
			assertThat(a.holder()).contains("gw-a");
			assertThat(b.holder()).contains("gw-a");
			assertThat(client.opsForValue().get(KEYS.lease()).block()).isEqualTo("gw-a");
		}

		@Test
		void aHolderThatStopsRenewingIsReplacedOnceTheLeaseExpires() {
			RedisDecisionLease a = lease("gw-a", Duration.ofSeconds(1));
			RedisDecisionLease b = lease("gw-b", Duration.ofSeconds(1));
			assertThat(a.holds()).isTrue();
			// a stops renewing (dead or hanging): b may take over only after the TTL
			await().atLeast(Duration.ofMillis(700))
				.atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(100))
				.until(b::holds);
			assertThat(a.holds()).isFalse();
			assertThat(a.holder()).contains("gw-b");
		}

		@Test
		void renewingKeepsTheLeaseLongerThanItsTtl() {
			RedisDecisionLease a = lease("gw-a", Duration.ofSeconds(1));
			RedisDecisionLease b = lease("gw-b", Duration.ofSeconds(1));
			assertThat(a.holds()).isTrue();
			Instant until = Instant.now().plusSeconds(3);
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
				assertThat(a.holds()).isTrue();
				assertThat(b.holds()).isFalse();
				return Instant.now().isAfter(until);
			});
		}

		@Test
		void releasingGivesTheLeaseUpSoAnotherInstanceTakesItAtOnce() {
			RedisDecisionLease a = lease("gw-a", Duration.ofMinutes(1));
			RedisDecisionLease b = lease("gw-b", Duration.ofMinutes(1));
			assertThat(a.holds()).isTrue();
			a.release();
			assertThat(b.holds()).isTrue();
		}

		@Test
		void releasingALeaseHeldBySomeoneElseLeavesItAlone() {
			RedisDecisionLease a = lease("gw-a", Duration.ofMinutes(1));
			RedisDecisionLease b = lease("gw-b", Duration.ofMinutes(1));
			assertThat(a.holds()).isTrue();
			assertThat(b.holds()).isFalse();
			b.release();
			assertThat(a.holds()).isTrue();
			assertThat(client.opsForValue().get(KEYS.lease()).block()).isEqualTo("gw-a");
		}

		@Test
		@ExtendWith(OutputCaptureExtension.class)
		void whileRedisHangsNobodyHoldsTheLeaseNothingThrowsAndTheOutageIsLoggedOnce(CapturedOutput output) {
			RedisDecisionLease a = lease("gw-a", TTL);
			assertThat(a.holds()).isTrue();
			redis.pause();
			try {
				for (int tick = 0; tick < 3; tick++) {
					assertThat(a.holds()).isFalse();
				}
				assertThat(a.holder()).isEmpty();
			}
			finally {
				redis.unpause();
			}
			assertThat(output.getAll().split("The progression decision lease cannot be read", -1)).hasSize(2);
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(a::holds);
			assertThat(output).contains("Redis answers again; the progression decision lease is held by gw-a");
		}

	}

	@Nested
	class States {

		private final ProgressionState running = new ProgressionState("catalog", Phase.RUNNING, 2,
				Instant.parse("2026-12-03T10:01:00Z"), Instant.parse("2026-12-03T10:02:00Z"), 1, 0, 0,
				"promoted to step 3 of 4 (canary 50%)", List.of());

		@Test
		void aStateSavedByOneInstanceIsLoadedByAnother() {
			store().save(this.running);
			assertThat(store().load("catalog")).contains(this.running);
			assertThat(store().load("orders")).isEmpty();
		}

		@Test
		void aStateIsReplacedBySavingItAgain() {
			RedisProgressionStore store = store();
			store.save(ProgressionState.waiting("catalog", Instant.parse("2026-12-03T10:00:00Z")));
			store.save(this.running);
			assertThat(store().load("catalog")).contains(this.running);
		}

		@Test
		void whileRedisHangsDecisionsCannotReadStatesButTheAdminApiShowsTheLastSeen() {
			RedisProgressionStore store = store();
			store.save(this.running);
			redis.pause();
			try {
				assertThatExceptionOfType(StateUnavailableException.class).isThrownBy(() -> store.load("catalog"))
					.withMessageContaining("route 'catalog'");
				assertThatExceptionOfType(StateUnavailableException.class)
					.isThrownBy(() -> store.save(ProgressionState.waiting("orders", Instant.now())));
				assertThat(store.lastSeen("catalog")).contains(this.running);
				assertThat(store().lastSeen("catalog")).isEqualTo(Optional.empty());
			}
			finally {
				redis.unpause();
			}
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> store.load("catalog").equals(Optional.of(this.running)));
		}

	}

}
