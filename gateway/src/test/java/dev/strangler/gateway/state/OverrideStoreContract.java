package dev.strangler.gateway.state;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link OverrideStore} promises, run against each implementation by a
 * subclass: the embedded file store and the Redis store.
 */
public abstract class OverrideStoreContract {

	protected static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

	protected static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final Actor ALICE = Actor.operator("alice");

	/**
	 * Opens a store on the shared state (a second call: another instance on it).
	 * @return the store
	 */
	protected abstract OverrideStore open();

	/**
	 * The audit trail the store writes to.
	 * @return the audit log
	 */
	protected abstract AuditLog auditLog();

	/**
	 * The latest state as one instance knows it, after all writers are done.
	 * @param store an instance
	 * @return its snapshot, read again from a shared store so the test need not wait
	 */
	protected OverrideSnapshot latest(OverrideStore store) {
		return store.snapshot();
	}

	protected static OverrideSettings canary(String percent) {
		return new OverrideSettings(Optional.of(Stage.CANARY), Optional.of(Percent.parse(percent)));
	}

	@Test
	void aNewStoreIsEmptyAndEveryRouteAtRevisionZero() {
		OverrideSnapshot snapshot = open().snapshot();
		assertThat(snapshot.overrides()).isEmpty();
		assertThat(snapshot.revision("catalog")).isZero();
	}

	@Test
	void everyCommittedChangeBumpsTheRoutesRevisionAndTheStores() {
		OverrideStore store = open();
		store.set("catalog", canary("10"), ALICE, "a");
		store.set("catalog", canary("20"), ALICE, "b");
		OverrideChange cleared = store.clear("catalog", ALICE, "c");
		store.set("orders", canary("5"), ALICE, "d");
		assertThat(cleared.before()).map(RouteOverride::settings).contains(canary("20"));
		assertThat(cleared.after()).isEmpty();
		OverrideSnapshot snapshot = store.snapshot();
		assertThat(snapshot.revision("catalog")).isEqualTo(3);
		assertThat(snapshot.revision("orders")).isEqualTo(1);
		assertThat(snapshot.revision()).isEqualTo(4);
		assertThat(snapshot.overrides()).containsOnlyKeys("orders");
	}

	@Test
	void clearingARouteWithoutOverrideChangesNothing() {
		OverrideStore store = open();
		OverrideChange change = store.clear("catalog", ALICE, "");
		assertThat(change.changed()).isFalse();
		assertThat(store.snapshot().revision("catalog")).isZero();
		assertThat(auditLog().recent(10)).isEmpty();
	}

	@Test
	void aChangeBasedOnTheCurrentRevisionIsApplied() {
		OverrideStore store = open();
		store.set("catalog", canary("10"), ALICE, "");
		OverrideChange change = store.update("catalog", ALICE, "", OptionalLong.of(1),
				(before) -> Optional.of(canary("20")));
		assertThat(change.after()).map(RouteOverride::settings).contains(canary("20"));
		assertThat(store.snapshot().revision("catalog")).isEqualTo(2);
	}

	@Test
	void aChangeBasedOnAStaleRevisionIsRefusedWithTheCurrentStateAndChangesNothing() {
		OverrideStore store = open();
		store.set("catalog", canary("10"), ALICE, "");
		store.set("catalog", canary("20"), ALICE, "");
		assertThatExceptionOfType(RevisionConflictException.class)
			.isThrownBy(
					() -> store.update("catalog", ALICE, "", OptionalLong.of(1), (before) -> Optional.of(canary("99"))))
			.satisfies((ex) -> {
				assertThat(ex.expected()).isEqualTo(1);
				assertThat(ex.current()).isEqualTo(2);
				assertThat(ex.override()).map(RouteOverride::settings).contains(canary("20"));
			});
		assertThat(store.snapshot().get("catalog")).map(RouteOverride::settings).contains(canary("20"));
		assertThat(auditLog().recent(10)).hasSize(2);
	}

	@Test
	void everyChangeIsAuditedNewestFirst() {
		OverrideStore store = open();
		store.set("catalog", canary("10"), ALICE, "first");
		store.clear("catalog", Actor.operator("bob"), "second");
		List<AuditEntry> entries = auditLog().recent("catalog", 10);
		assertThat(entries).extracting(AuditEntry::reason).containsExactly("second", "first");
		assertThat(entries.get(0).action()).isEqualTo(AuditEntry.Action.CLEAR);
		assertThat(entries.get(0).who()).isEqualTo("bob");
		assertThat(entries.get(1).after()).map(RouteOverride::settings).contains(canary("10"));
		assertThat(entries.get(1).when()).isEqualTo(NOW);
	}

	@Test
	void subscribersGetTheCurrentSnapshotAtOnceThenEveryChange() {
		OverrideStore store = open();
		store.set("catalog", canary("10"), ALICE, "");
		List<Long> seen = new CopyOnWriteArrayList<>();
		store.subscribe((snapshot) -> seen.add(snapshot.revision()));
		store.set("catalog", canary("20"), ALICE, "");
		assertThat(seen).containsExactly(1L, 2L);
	}

	@Test
	void concurrentReadModifyWritesLoseNoUpdate() throws Exception {
		List<OverrideStore> instances = List.of(open(), open());
		int threads = 4;
		int perThread = 25;
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				OverrideStore store = instances.get(t % instances.size());
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < perThread; i++) {
						// Each update adds 0.01 to the percent read: a lost update shows
						// as a smaller total.
						store.update("catalog", ALICE, "",
								(before) -> Optional.of(new OverrideSettings(Optional.empty(),
										Optional.of(new Percent(before.flatMap(RouteOverride::percent)
											.map(Percent::value)
											.orElse(BigDecimal.ZERO)
											.add(new BigDecimal("0.01")))))));
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		OverrideSnapshot snapshot = latest(instances.get(0));
		assertThat(snapshot.get("catalog").flatMap(RouteOverride::percent)).contains(Percent
			.parse(new BigDecimal("0.01").multiply(BigDecimal.valueOf(threads * perThread)).toPlainString()));
		assertThat(snapshot.revision("catalog")).isEqualTo(threads * perThread);
		assertThat(auditLog().recent(1000)).hasSize(threads * perThread);
	}

}
