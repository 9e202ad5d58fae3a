package dev.strangler.gateway.state;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FileOverrideStoreTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final Actor ALICE = Actor.operator("alice");

	@TempDir
	Path dir;

	private FileOverrideStore open() {
		return new FileOverrideStore(this.dir, new JsonLinesAuditLog(this.dir), CLOCK);
	}

	private static OverrideSettings canary(String percent) {
		return new OverrideSettings(Optional.of(Stage.CANARY), Optional.of(Percent.parse(percent)));
	}

	private static OverrideSettings percentOnly(String percent) {
		return new OverrideSettings(Optional.empty(), Optional.of(Percent.parse(percent)));
	}

	private List<String> filesInDir() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

	@Nested
	class Persistence {

		@Test
		void startsEmptyWithoutAFile() {
			assertThat(open().snapshot()).isEqualTo(OverrideSnapshot.EMPTY);
		}

		@Test
		void createsAMissingStateDirectory() {
			Path nested = FileOverrideStoreTests.this.dir.resolve("a/b");
			FileOverrideStore store = new FileOverrideStore(nested, new JsonLinesAuditLog(nested), CLOCK);
			store.set("catalog", canary("25"), ALICE, "ramp");
			assertThat(nested.resolve(FileOverrideStore.FILE_NAME)).exists();
		}

		@Test
		void restartKeepsOverrides() {
			FileOverrideStore first = open();
			first.set("catalog", canary("0.5"), ALICE, "first canary");
			first.set("orders", new OverrideSettings(Optional.of(Stage.SHADOW), Optional.empty()), ALICE, "");
			first.clear("orders", ALICE, "not yet");
			first.set("customers", percentOnly("12.25"), Actor.operator("bob"), "ramp");

			OverrideSnapshot reopened = open().snapshot();

			assertThat(reopened).isEqualTo(first.snapshot());
			assertThat(reopened.revision()).isEqualTo(4);
			assertThat(reopened.overrides()).containsOnlyKeys("catalog", "customers");
			assertThat(reopened.get("catalog")).contains(new RouteOverride("catalog", Optional.of(Stage.CANARY),
					Optional.of(Percent.parse("0.5")), "alice", NOW, "first canary"));
		}

		@Test
		void writesAFormatVersionedReadableFile() throws IOException {
			open().set("catalog", canary("25"), ALICE, "ramp");
			String json = Files.readString(FileOverrideStoreTests.this.dir.resolve(FileOverrideStore.FILE_NAME));
			assertThat(json).contains("\"format\" : 1", "\"revision\" : 1", "\"stage\" : \"canary\"",
					"\"percent\" : 25", "\"when\" : \"2026-11-22T10:15:30Z\"");
		}

		@Test
		void atomicWritesLeaveNoTempFiles() throws IOException {
			FileOverrideStore store = open();
			for (int i = 0; i < 20; i++) {
				store.set("catalog", canary(Integer.toString(i)), ALICE, "step " + i);
			}
			assertThat(filesInDir()).containsExactly(JsonLinesAuditLog.FILE_NAME, FileOverrideStore.FILE_NAME);
		}

		@Test
		void tempFileLeftByACrashIsIgnoredAndRemoved() throws IOException {
			open().set("catalog", canary("25"), ALICE, "ramp");
			Path stale = FileOverrideStoreTests.this.dir.resolve("overrides.json.12345.tmp");
			Files.writeString(stale, "{\"format\":1,\"rev");

			FileOverrideStore reopened = open();

			assertThat(reopened.snapshot().get("catalog")).isPresent();
			assertThat(stale).doesNotExist();
		}

	}

	@Nested
	class CorruptFile {

		static Stream<Arguments> invalidFiles() {
			String valid = "\"who\":\"alice\",\"when\":\"2026-11-22T10:15:30Z\",\"reason\":\"\"";
			return Stream.of(Arguments.of("garbage", "this is not json", "not JSON"),
					Arguments.of("empty", "", "the file is empty"),
					Arguments.of("truncated",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"catalog\":{\"stage\":\"can", "not JSON"),
					Arguments.of("binary", "\u0000\u0001\u0002", "not JSON"),
					Arguments.of("array", "[]", "$ must be an object"),
					Arguments.of("newer format", "{\"format\":2,\"revision\":1,\"overrides\":{}}",
							"format version 2 is not supported"),
					Arguments.of("no format", "{\"revision\":1,\"overrides\":{}}", "$.format must be"),
					Arguments.of("revision as string", "{\"format\":1,\"revision\":\"1\",\"overrides\":{}}",
							"$.revision must be a non-negative integer (was \"1\")"),
					Arguments.of("overrides as list", "{\"format\":1,\"revision\":1,\"overrides\":[]}",
							"$.overrides must be an object (was [])"),
					Arguments.of("percent as string",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"catalog\":{\"percent\":\"25\"," + valid
									+ "}}}",
							"$.overrides.catalog.percent must be a number (was \"25\")"),
					Arguments.of("percent out of range",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"catalog\":{\"percent\":150," + valid + "}}}",
							"$.overrides.catalog.percent must be between 0 and 100 (was 150)"),
					Arguments.of("stage as number",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"catalog\":{\"stage\":3," + valid + "}}}",
							"$.overrides.catalog.stage must be a string (was 3)"),
					Arguments.of("unknown stage",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"catalog\":{\"stage\":\"beta\"," + valid
									+ "}}}",
							"$.overrides.catalog.stage must be one of"),
					Arguments.of("bad instant",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"catalog\":{\"stage\":\"canary\","
									+ "\"who\":\"a\",\"when\":\"yesterday\",\"reason\":\"\"}}}",
							"$.overrides.catalog.when must be an ISO-8601 instant"),
					Arguments.of("unknown field",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"catalog\":{\"stage\":\"canary\",\"colour\":1,"
									+ valid + "}}}",
							"$.overrides.catalog.colour is not a known field"),
					Arguments.of("neither stage nor percent",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"catalog\":{" + valid + "}}}",
							"$.overrides.catalog sets neither stage nor percent"),
					Arguments.of("bad route id",
							"{\"format\":1,\"revision\":1,\"overrides\":{\"Cat alog\":{\"stage\":\"canary\"," + valid
									+ "}}}",
							"routeId must match"),
					Arguments.of("duplicate key", "{\"format\":1,\"format\":1,\"revision\":1,\"overrides\":{}}",
							"Duplicate field 'format'"),
					Arguments.of("trailing content", "{\"format\":1,\"revision\":1,\"overrides\":{}} {}", "not JSON"));
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("invalidFiles")
		void isRefusedWithAMessageNamingItAndLeftByteForByte(String kind, String content, String problem)
				throws IOException {
			Path file = FileOverrideStoreTests.this.dir.resolve(FileOverrideStore.FILE_NAME);
			Files.write(file, content.getBytes(StandardCharsets.UTF_8));
			byte[] before = Files.readAllBytes(file);

			assertThatExceptionOfType(StateFileException.class).isThrownBy(FileOverrideStoreTests.this::open)
				.withMessageStartingWith("state file " + file.toAbsolutePath() + " is not valid: ")
				.withMessageContaining(problem)
				.withMessageEndingWith("; fix or remove it")
				.satisfies((ex) -> assertThat(ex.file()).isEqualTo(file));
			assertThat(Files.readAllBytes(file)).isEqualTo(before);
			assertThat(filesInDir()).containsExactly(FileOverrideStore.FILE_NAME);
		}

		@Test
		void unreadableFileIsRefusedWithAMessageNamingIt() throws IOException {
			Path file = FileOverrideStoreTests.this.dir.resolve(FileOverrideStore.FILE_NAME);
			Files.createDirectory(file);
			assertThatExceptionOfType(StateFileException.class).isThrownBy(FileOverrideStoreTests.this::open)
				.withMessageStartingWith("state file " + file.toAbsolutePath() + " cannot be read: ");
			assertThat(file).isDirectory();
		}

	}

	@Nested
	class Updates {

		@Test
		void setStampsWhoWhenAndReasonAndReturnsBeforeAndAfter() {
			FileOverrideStore store = open();
			OverrideChange first = store.set("catalog", canary("10"), ALICE, "start canary");
			OverrideChange second = store.set("catalog", canary("25"), Actor.operator("bob"), "ramp");

			assertThat(first.before()).isEmpty();
			assertThat(second.before()).isEqualTo(first.after());
			assertThat(second.after()).contains(new RouteOverride("catalog", Optional.of(Stage.CANARY),
					Optional.of(Percent.parse("25")), "bob", NOW, "ramp"));
			assertThat(second.snapshot()).isEqualTo(store.snapshot());
			assertThat(second.changed()).isTrue();
		}

		@Test
		void updateCanOverlayPartialSettingsOnTheCurrentOverride() {
			FileOverrideStore store = open();
			store.set("catalog", canary("10"), ALICE, "start canary");
			OverrideSettings request = percentOnly("50");

			OverrideChange change = store.update("catalog", ALICE, "ramp", (before) -> Optional
				.of(before.map((current) -> current.settings().overlaidWith(request)).orElse(request)));

			assertThat(change.after().map(RouteOverride::settings)).contains(canary("50"));
		}

		@Test
		void everyChangeIsAuditedWithWhoWhenReasonBeforeAndAfter() {
			JsonLinesAuditLog audit = new JsonLinesAuditLog(FileOverrideStoreTests.this.dir);
			FileOverrideStore store = new FileOverrideStore(FileOverrideStoreTests.this.dir, audit, CLOCK);
			OverrideChange set = store.set("catalog", canary("10"), ALICE, "start canary");
			OverrideChange auto = store.set("catalog", canary("0"), Actor.automatic("auto-rollback"), "error rate");
			OverrideChange clear = store.clear("catalog", ALICE, "back to file");

			assertThat(audit.recent(10)).containsExactly(
					new AuditEntry("alice", NOW, "catalog", AuditEntry.Action.CLEAR, "back to file", auto.after(),
							Optional.empty()),
					new AuditEntry("auto-rollback", NOW, "catalog", AuditEntry.Action.AUTO, "error rate", set.after(),
							auto.after()),
					new AuditEntry("alice", NOW, "catalog", AuditEntry.Action.SET, "start canary", Optional.empty(),
							set.after()));
			assertThat(clear.after()).isEmpty();
		}

		@Test
		void clearingARouteWithoutOverrideChangesAndAuditsNothing() {
			JsonLinesAuditLog audit = new JsonLinesAuditLog(FileOverrideStoreTests.this.dir);
			FileOverrideStore store = new FileOverrideStore(FileOverrideStoreTests.this.dir, audit, CLOCK);

			OverrideChange change = store.clear("catalog", ALICE, "nothing there");

			assertThat(change.changed()).isFalse();
			assertThat(store.snapshot().revision()).isZero();
			assertThat(audit.recent(10)).isEmpty();
			assertThat(FileOverrideStoreTests.this.dir.resolve(FileOverrideStore.FILE_NAME)).doesNotExist();
		}

		@Test
		void failedWriteKeepsTheRunningStateAndLeavesNoTempFile() throws IOException {
			FileOverrideStore store = open();
			store.set("catalog", canary("10"), ALICE, "start");
			OverrideSnapshot before = store.snapshot();
			List<OverrideSnapshot> seen = new CopyOnWriteArrayList<>();
			store.subscribe(seen::add);
			// A non-empty directory in the file's place makes the rename fail.
			Path file = FileOverrideStoreTests.this.dir.resolve(FileOverrideStore.FILE_NAME);
			Files.delete(file);
			Files.createDirectories(file.resolve("blocker"));

			assertThatExceptionOfType(StateFileException.class)
				.isThrownBy(() -> store.set("catalog", canary("50"), ALICE, "ramp"))
				.withMessageContaining(file.toAbsolutePath() + " could not be written");

			assertThat(store.snapshot()).isEqualTo(before);
			assertThat(seen).containsExactly(before);
			assertThat(filesInDir()).containsExactly(JsonLinesAuditLog.FILE_NAME, FileOverrideStore.FILE_NAME);
		}

		@Test
		void aFailedWriteLeavesNoEntryInTheAuditTrail() throws IOException {
			JsonLinesAuditLog audit = new JsonLinesAuditLog(FileOverrideStoreTests.this.dir);
			FileOverrideStore store = new FileOverrideStore(FileOverrideStoreTests.this.dir, audit, CLOCK);
			store.set("catalog", canary("10"), ALICE, "start");
			List<AuditEntry> before = audit.recent(10);
			Path file = FileOverrideStoreTests.this.dir.resolve(FileOverrideStore.FILE_NAME);
			Files.delete(file);
			Files.createDirectories(file.resolve("blocker"));

			assertThatExceptionOfType(StateFileException.class)
				.isThrownBy(() -> store.set("catalog", canary("50"), ALICE, "ramp"));

			assertThat(audit.recent(10)).isEqualTo(before);
		}

		@Test
		void aFailedAuditAppendLeavesTheStoredStateAsItWas() throws IOException {
			FailingAuditLog audit = new FailingAuditLog(new JsonLinesAuditLog(FileOverrideStoreTests.this.dir));
			FileOverrideStore store = new FileOverrideStore(FileOverrideStoreTests.this.dir, audit, CLOCK);
			store.set("catalog", canary("10"), ALICE, "start");
			OverrideSnapshot before = store.snapshot();
			Path file = FileOverrideStoreTests.this.dir.resolve(FileOverrideStore.FILE_NAME);
			byte[] stored = Files.readAllBytes(file);
			audit.failing = true;

			assertThatExceptionOfType(StateFileException.class)
				.isThrownBy(() -> store.set("catalog", canary("50"), ALICE, "ramp"));

			assertThat(store.snapshot()).isEqualTo(before);
			assertThat(Files.readAllBytes(file)).isEqualTo(stored);
			assertThat(audit.recent(10)).hasSize(1);
			assertThat(open().snapshot()).isEqualTo(before);
		}

	}

	/**
	 * An audit log whose appends fail on demand, as a full or read-only disk makes them.
	 */
	static final class FailingAuditLog implements AuditLog {

		private final AuditLog delegate;

		volatile boolean failing;

		FailingAuditLog(AuditLog delegate) {
			this.delegate = delegate;
		}

		@Override
		public void append(AuditEntry entry) {
			if (this.failing) {
				throw StateFileException.unwritable(Path.of(JsonLinesAuditLog.FILE_NAME),
						new IOException("No space left on device"));
			}
			this.delegate.append(entry);
		}

		@Override
		public List<AuditEntry> recent(int limit) {
			return this.delegate.recent(limit);
		}

		@Override
		public List<AuditEntry> recent(String routeId, int limit) {
			return this.delegate.recent(routeId, limit);
		}

	}

	@Nested
	class Subscriptions {

		@Test
		void subscriberGetsTheCurrentSnapshotAtOnceThenEveryChange() {
			FileOverrideStore store = open();
			store.set("catalog", canary("10"), ALICE, "");
			List<Long> revisions = new ArrayList<>();

			OverrideStore.Subscription subscription = store.subscribe((snapshot) -> revisions.add(snapshot.revision()));
			store.set("catalog", canary("20"), ALICE, "");
			subscription.close();
			store.set("catalog", canary("30"), ALICE, "");

			assertThat(revisions).containsExactly(1L, 2L);
		}

		@Test
		void failingListenerNeitherUndoesTheChangeNorSilencesOthers() {
			FileOverrideStore store = open();
			List<OverrideSnapshot> seen = new ArrayList<>();
			store.subscribe((snapshot) -> {
				if (snapshot.revision() > 0) {
					throw new IllegalStateException("boom");
				}
			});
			store.subscribe(seen::add);

			store.set("catalog", canary("10"), ALICE, "");

			assertThat(seen).extracting(OverrideSnapshot::revision).containsExactly(0L, 1L);
			assertThat(open().snapshot().get("catalog")).isPresent();
		}

	}

	@Nested
	class Concurrency {

		@Test
		void twoConcurrentOverridesAreBothKept() throws Exception {
			FileOverrideStore store = open();
			CyclicBarrier start = new CyclicBarrier(2);
			ExecutorService pool = Executors.newFixedThreadPool(2);
			try {
				Future<?> catalog = pool.submit(() -> {
					start.await();
					return store.set("catalog", canary("25"), ALICE, "catalog");
				});
				Future<?> orders = pool.submit(() -> {
					start.await();
					return store.set("orders", canary("50"), Actor.operator("bob"), "orders");
				});
				catalog.get(10, TimeUnit.SECONDS);
				orders.get(10, TimeUnit.SECONDS);
			}
			finally {
				pool.shutdownNow();
			}

			assertThat(store.snapshot().overrides()).containsOnlyKeys("catalog", "orders");
			assertThat(open().snapshot()).isEqualTo(store.snapshot());
		}

		@Test
		void eightThreadsTimesFiftyUpdatesLoseNothing() throws Exception {
			int threads = 8;
			// Every update syncs two files: 400 of them prove the point without taking
			// minutes on a busy disk.
			int updatesPerThread = 50;
			JsonLinesAuditLog audit = new JsonLinesAuditLog(FileOverrideStoreTests.this.dir);
			FileOverrideStore store = new FileOverrideStore(FileOverrideStoreTests.this.dir, audit, CLOCK);
			List<Long> revisions = new CopyOnWriteArrayList<>();
			store.subscribe((snapshot) -> revisions.add(snapshot.revision()));
			CyclicBarrier start = new CyclicBarrier(threads);
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			List<Future<?>> futures = new ArrayList<>();
			try {
				for (int t = 0; t < threads; t++) {
					String ownRoute = "route-" + t;
					futures.add(pool.submit(() -> {
						start.await();
						for (int i = 0; i < updatesPerThread / 2; i++) {
							// Each thread's own route: the last value must win.
							store.set(ownRoute, canary(Integer.toString(i)), ALICE, "own " + i);
							// One shared counter: a lost update would show as a smaller
							// total.
							store.update("shared", ALICE, "increment",
									(before) -> Optional.of(percentOnly(before.flatMap(RouteOverride::percent)
										.map((percent) -> percent.value().add(new BigDecimal("0.01")))
										.orElse(new BigDecimal("0.01"))
										.toPlainString())));
						}
						return null;
					}));
				}
				for (Future<?> future : futures) {
					future.get(2, TimeUnit.MINUTES);
				}
			}
			finally {
				pool.shutdownNow();
			}

			int total = threads * updatesPerThread;
			OverrideSnapshot snapshot = store.snapshot();
			assertThat(snapshot.revision()).isEqualTo(total);
			assertThat(snapshot.get("shared").flatMap(RouteOverride::percent)).contains(
					Percent.parse(new BigDecimal("0.01").multiply(BigDecimal.valueOf(total / 2)).toPlainString()));
			for (int t = 0; t < threads; t++) {
				assertThat(snapshot.get("route-" + t).flatMap(RouteOverride::percent)).as("route-" + t)
					.contains(Percent.parse(Integer.toString(updatesPerThread / 2 - 1)));
			}
			assertThat(audit.recent(Integer.MAX_VALUE)).hasSize(total);
			assertThat(audit.recent("shared", Integer.MAX_VALUE)).hasSize(total / 2);
			assertThat(revisions).hasSize(total + 1).isSorted();
			assertThat(open().snapshot()).isEqualTo(snapshot);
		}

	}

}
