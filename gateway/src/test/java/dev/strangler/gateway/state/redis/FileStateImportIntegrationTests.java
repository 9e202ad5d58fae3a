package dev.strangler.gateway.state.redis;

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
import dev.strangler.gateway.state.FileOverrideStore;
import dev.strangler.gateway.state.FileStateImport;
import dev.strangler.gateway.state.JsonLinesAuditLog;
import dev.strangler.gateway.state.OverrideSettings;
import dev.strangler.gateway.state.RouteOverride;
import dev.strangler.testsupport.RequiresDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving from the file store to the Redis store: the import of a file store into a real
 * Redis, as {@code strangler.state.redis.import-from} runs it at start-up.
 */
@RequiresDocker
class FileStateImportIntegrationTests {

	private static final Actor ALICE = Actor.operator("alice");

	private static RedisServer redis;

	private static ReactiveStringRedisTemplate client;

	private final List<RedisOverrideStore> stores = new CopyOnWriteArrayList<>();

	@TempDir
	Path fileDir;

	@TempDir
	Path redisDir;

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
	}

	@AfterEach
	void closeStores() {
		this.stores.forEach(RedisOverrideStore::close);
	}

	@Test
	void anEmptyRedisGetsEveryOverrideAuditedAsTheImportAndASecondRunImportsNothing() {
		FileOverrideStore file = fileStore();
		file.update("catalog", ALICE, "ramp up", (before) -> Optional.of(canary("25")));
		file.update("orders", ALICE, "hold back", (before) -> Optional.of(legacy()));
		RedisOverrideStore target = redisStore("a");

		FileStateImport.Report first = FileStateImport.from(this.fileDir).into(target);
		FileStateImport.Report second = FileStateImport.from(this.fileDir).into(redisStore("b"));

		assertThat(first.imported()).containsExactlyInAnyOrder("catalog", "orders");
		assertThat(first.kept()).isEmpty();
		assertThat(second.imported()).as("second run, from another instance").isEmpty();
		assertThat(second.kept()).containsExactlyInAnyOrder("catalog", "orders");
		RouteOverride catalog = target.resync().get("catalog").orElseThrow();
		assertThat(catalog.settings()).isEqualTo(canary("25"));
		assertThat(catalog.who()).isEqualTo(FileStateImport.ACTOR);
		assertThat(catalog.reason()).contains("(set by alice at ").endsWith(": ramp up)");
		assertThat(new RedisAuditLog(client, redis.options(this.redisDir)).recent(10))
			.as("one audit entry per imported route, none for the second run")
			.extracting(AuditEntry::routeId, AuditEntry::who)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("catalog", FileStateImport.ACTOR),
					org.assertj.core.groups.Tuple.tuple("orders", FileStateImport.ACTOR));
	}

	@Test
	void aRouteRedisAlreadyHasIsLeftAlone() {
		FileOverrideStore file = fileStore();
		file.update("catalog", ALICE, "old ramp", (before) -> Optional.of(canary("25")));
		file.update("orders", ALICE, "old orders", (before) -> Optional.of(canary("10")));
		RedisOverrideStore target = redisStore("a");
		target.set("orders", canary("60"), ALICE, "newer, on the cluster");

		FileStateImport.Report report = FileStateImport.from(this.fileDir).into(target);

		assertThat(report.imported()).containsExactly("catalog");
		assertThat(report.kept()).containsExactly("orders");
		RouteOverride orders = target.resync().get("orders").orElseThrow();
		assertThat(orders.settings()).isEqualTo(canary("60"));
		assertThat(orders.who()).isEqualTo("alice");
	}

	private FileOverrideStore fileStore() {
		return new FileOverrideStore(this.fileDir, new JsonLinesAuditLog(this.fileDir), Clock.systemUTC());
	}

	private RedisOverrideStore redisStore(String name) {
		RedisStateOptions fast = redis.options(this.redisDir.resolve(name));
		// The import is a start-up task, not a request: give the first script calls on a
		// busy machine the production default's headroom rather than the fixture's 500
		// ms.
		RedisStateOptions options = new RedisStateOptions(fast.keyPrefix(), fast.auditMaxEntries(),
				fast.resyncInterval(), Duration.ofSeconds(5), fast.startupWait(), fast.snapshotFile());
		RedisOverrideStore store = new RedisOverrideStore(client, options, Clock.systemUTC());
		store.start();
		this.stores.add(store);
		return store;
	}

	private static OverrideSettings canary(String percent) {
		return new OverrideSettings(Optional.of(Stage.CANARY), Optional.of(Percent.parse(percent)));
	}

	private static OverrideSettings legacy() {
		return new OverrideSettings(Optional.of(Stage.LEGACY), Optional.empty());
	}

}
