package dev.strangler.gateway.state.redis;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.strangler.gateway.compare.BodyExcerpt;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.evidence.BucketDelta;
import dev.strangler.gateway.evidence.EvidenceFigures;
import dev.strangler.gateway.evidence.EvidenceSlots;
import dev.strangler.gateway.evidence.GatewayInstance;
import dev.strangler.gateway.evidence.InstanceDiff;
import dev.strangler.gateway.evidence.RecentDiffs;
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
 * Evidence and mismatches of two instances summed and merged in a real Redis, and what
 * each reads when Redis is gone or hangs.
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
		RedisEvidence a = evidence(localA);
		RedisEvidence b = evidence(localB);
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
		RedisEvidence evidence = evidence(local);
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

	@Test
	void mismatchesOfTwoInstancesAreMergedNewestFirstAndTheirDifferingPathsSummed() {
		redis.flush();
		LocalEvidence localA = local();
		LocalEvidence localB = local();
		RedisEvidence a = evidence(localA, "gateway-a", 100);
		RedisEvidence b = evidence(localB, "gateway-b", 100);
		Instant now = Instant.now();
		DiffRecord older = new DiffRecord(now.minusSeconds(2), "GET", "/api/products/1", 200, 200,
				List.of(new Difference("$.price", "12.5", "\"12.5\""),
						new Difference("$.tags[0]", "\"new\"", Difference.ABSENT, Difference.Kind.MISSING),
						new Difference("$.tags[3]", "\"x\"", Difference.ABSENT, Difference.Kind.MISSING)),
				"4bf92f3577b34da6a3ce929d0e0e4736", new BodyExcerpt("{\"price\":12.5}", true),
				new BodyExcerpt("{\"price\":\"12.5\"}", true));
		DiffRecord newer = new DiffRecord(now.minusSeconds(1), "GET", "/api/products/2", 200, 404,
				List.of(new Difference("status", "200", "404", Difference.Kind.STATUS),
						new Difference("$.price", "3", Difference.ABSENT, Difference.Kind.MISSING)),
				null);
		localB.differed("catalog", newer);
		localB.shadow("catalog", ShadowResult.MISMATCH);
		b.write(localB.flush());
		// A flushes after B: the merged list is still newest first by the time it was
		// seen
		localA.differed("catalog", older);
		localA.shadow("catalog", ShadowResult.MISMATCH);
		a.write(localA.flush());

		for (RedisEvidence instance : new RedisEvidence[] { a, b }) {
			RecentDiffs diffs = instance.recent("catalog", List::of);
			assertThat(diffs.scope()).isEqualTo(EvidenceWindow.Scope.CLUSTER);
			assertThat(diffs.problem()).isEmpty();
			assertThat(diffs.diffs()).containsExactly(new InstanceDiff("gateway-b", newer),
					new InstanceDiff("gateway-a", older));
			assertThat(instance.window("catalog", MINUTE).topDifferingPaths(10))
				.containsExactly(Map.entry("$.price", 2L), Map.entry("$.tags[*]", 1L), Map.entry("status", 1L));
		}
		assertThat(a.recent("orders", List::of).diffs()).isEmpty();
		assertThat(Long.parseLong(redis.exec("redis-cli", "TTL", "test:diffs:catalog")))
			.isBetween(RedisEvidence.DIFFS_TTL.toSeconds() - 60, RedisEvidence.DIFFS_TTL.toSeconds());
	}

	@Test
	void theSharedListKeepsTheNewestMismatchesUpToItsCapAndABucketABoundedNumberOfPaths() {
		redis.flush();
		LocalEvidence localA = local();
		LocalEvidence localB = local();
		RedisEvidence a = evidence(localA, "gateway-a", 3);
		RedisEvidence b = evidence(localB, "gateway-b", 3);
		Instant now = Instant.now();
		for (int i = 0; i < 4; i++) {
			localA.differed("catalog", diff(now.plusMillis(i), "/a/" + i));
		}
		a.write(localA.flush());
		for (int i = 4; i < 6; i++) {
			localB.differed("catalog", diff(now.plusMillis(i), "/b/" + i));
		}
		b.write(localB.flush());

		assertThat(redis.exec("redis-cli", "LLEN", "test:diffs:catalog")).isEqualTo("3");
		assertThat(b.recent("catalog", List::of).records()).extracting(DiffRecord::pathWithQuery)
			.containsExactly("/b/5", "/b/4", "/a/3");

		// each instance's flush is bounded; several together must be too
		Instant start = localA.bucketStarts(Instant.now(), Duration.ZERO).get(0);
		a.write(List.of(pathsDelta(start, "a", 70)));
		b.write(List.of(pathsDelta(start, "b", 70)));
		assertThat(redis.exec("redis-cli", "HLEN", "test:evidence-paths:orders:" + start.getEpochSecond()))
			.isEqualTo(Integer.toString(BucketDelta.MAX_PATHS));
	}

	@Test
	void withRedisPausedTheMismatchesAndPathsAreThisInstancesOwnSayingWhyAndTrafficCountingGoesOn() {
		redis.flush();
		LocalEvidence local = local();
		RedisEvidence evidence = new RedisEvidence(redis.client(), redis.options(this.dir), local,
				Duration.ofMinutes(15), new GatewayInstance("gateway-a"), 100);
		DiffRecord shared = diff(Instant.now(), "/shared");
		local.differed("catalog", shared);
		evidence.write(local.flush());
		DiffRecord own = diff(Instant.now(), "/own");
		redis.pause();
		try {
			local.differed("catalog", own);
			assertThatRuntimeException().isThrownBy(() -> evidence.write(local.flush()));

			RecentDiffs diffs = evidence.recent("catalog", () -> List.of(own, shared));
			EvidenceWindow window = evidence.window("catalog", MINUTE);

			assertThat(diffs.scope()).isEqualTo(EvidenceWindow.Scope.INSTANCE);
			assertThat(diffs.problem()).hasValueSatisfying(
					(problem) -> assertThat(problem).startsWith("the shared mismatches could not be read from Redis"));
			assertThat(diffs.diffs()).containsExactly(new InstanceDiff("gateway-a", own),
					new InstanceDiff("gateway-a", shared));
			assertThat(window.scope()).isEqualTo(EvidenceWindow.Scope.INSTANCE);
			assertThat(window.topDifferingPaths(10)).containsExactly(Map.entry("$.a", 2L));
		}
		finally {
			redis.unpause();
		}
		// a paused Redis may still run the flush it had received once it resumes: only
		// the way back to the shared list is asserted
		await("Redis answers again").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> evidence.recent("catalog", List::of).scope() == EvidenceWindow.Scope.CLUSTER);
		assertThat(evidence.recent("catalog", List::of).records()).contains(shared);
	}

	private static DiffRecord diff(Instant time, String path) {
		return new DiffRecord(time, "GET", path, 200, 200, List.of(new Difference("$.a", "1", "2")), null);
	}

	private static BucketDelta pathsDelta(Instant start, String prefix, int paths) {
		Map<String, Long> counts = new HashMap<>();
		for (int i = 0; i < paths; i++) {
			counts.put("$." + prefix + i, 1L);
		}
		return new BucketDelta("orders", start, new long[EvidenceSlots.COUNT], counts, List.of());
	}

	private RedisEvidence evidence(LocalEvidence local) {
		return evidence(local, "gateway", 100);
	}

	private RedisEvidence evidence(LocalEvidence local, String instance, int diffsPerRoute) {
		return new RedisEvidence(redis.client(), options(), local, Duration.ofMinutes(15),
				new GatewayInstance(instance), diffsPerRoute);
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
