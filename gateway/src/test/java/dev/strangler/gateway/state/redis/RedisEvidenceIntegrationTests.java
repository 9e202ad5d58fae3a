package dev.strangler.gateway.state.redis;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.strangler.gateway.evidence.EvidenceFigures;
import dev.strangler.gateway.evidence.EvidenceWindow;
import dev.strangler.gateway.evidence.LocalEvidence;
import dev.strangler.gateway.evidence.ShadowFigures;
import dev.strangler.gateway.evidence.ShadowResult;
import dev.strangler.gateway.rollout.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;
import dev.strangler.testsupport.RequiresDocker;

/**
 * Evidence of two instances summed in a real Redis, and what each reads when Redis is
 * gone.
 */
@RequiresDocker
class RedisEvidenceIntegrationTests {

	private static final Duration MINUTE = Duration.ofMinutes(1);

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
	void theFiguresOfTwoInstancesAreSummedOnWhicheverIsAsked() {
		redis.flush();
		LocalEvidence localA = local();
		LocalEvidence localB = local();
		RedisEvidence a = new RedisEvidence(redis.client(), options(), localA, Duration.ofMinutes(15));
		RedisEvidence b = new RedisEvidence(redis.client(), options(), localB, Duration.ofMinutes(15));
		for (int i = 0; i < 3; i++) {
			localA.shadow("catalog", ShadowResult.MATCH);
			localA.request("catalog", Backend.TARGET, 200, Duration.ofMillis(8).toNanos());
		}
		localB.shadow("catalog", ShadowResult.MISMATCH);
		localB.request("catalog", Backend.TARGET, 502, Duration.ofMillis(900).toNanos());

		a.write(localA.flush());
		b.write(localB.flush());

		for (RedisEvidence instance : new RedisEvidence[] { a, b }) {
			EvidenceWindow window = instance.window("catalog", MINUTE);
			assertThat(window.scope()).isEqualTo(EvidenceWindow.Scope.CLUSTER);
			EvidenceFigures total = window.total();
			assertThat(total.shadow()).isEqualTo(new ShadowFigures(3, 1, 0, 0, 0));
			assertThat(total.target().requests()).isEqualTo(4);
			assertThat(total.target().errors()).isEqualTo(1);
			assertThat(total.target().p99()).hasValueSatisfying(
					(p99) -> assertThat(p99).isBetween(Duration.ofMillis(900), Duration.ofMillis(1100)));
		}
		assertThat(a.window("orders", MINUTE).total()).isEqualTo(EvidenceFigures.NONE);
		assertThat(redis.exec("redis-cli", "TTL",
				"test:evidence:catalog:" + a.window("catalog", MINUTE).intervals().get(0).start().getEpochSecond()))
			.satisfies((ttl) -> assertThat(Long.parseLong(ttl)).isBetween(900L, 960L));
	}

	@Test
	void withRedisStoppedAFlushFailsAndAWindowAnswersThisInstancesFiguresSayingWhy() {
		redis.flush();
		LocalEvidence local = local();
		RedisEvidence evidence = new RedisEvidence(redis.client(), options(), local, Duration.ofMinutes(15));
		local.shadow("catalog", ShadowResult.MATCH);
		evidence.write(local.flush());
		redis.stop();
		try {
			local.shadow("catalog", ShadowResult.MISMATCH);
			assertThatRuntimeException().isThrownBy(() -> evidence.write(local.flush()));

			EvidenceWindow window = evidence.window("catalog", MINUTE);

			assertThat(window.scope()).isEqualTo(EvidenceWindow.Scope.INSTANCE);
			assertThat(window.problem()).hasValueSatisfying(
					(problem) -> assertThat(problem).startsWith("the shared figures could not be read from Redis"));
			assertThat(window.total().shadow()).isEqualTo(new ShadowFigures(1, 1, 0, 0, 0));
		}
		finally {
			redis.start();
		}
		await("the client reconnects").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> evidence.window("catalog", MINUTE).scope() == EvidenceWindow.Scope.CLUSTER);
		assertThat(evidence.window("catalog", MINUTE).total().shadow())
			.as("the flush Redis did not take is left out of the shared figures")
			.isEqualTo(new ShadowFigures(1, 0, 0, 0, 0));
	}

	// A first call on a new connection on a busy machine may take longer than the
	// half-second the store tests use.
	private RedisStateOptions options() {
		RedisStateOptions options = redis.options(this.dir);
		return new RedisStateOptions(options.keyPrefix(), options.auditMaxEntries(), options.resyncInterval(),
				Duration.ofSeconds(5), options.startupWait(), options.snapshotFile());
	}

	private static LocalEvidence local() {
		return new LocalEvidence(Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofMinutes(15));
	}

}
