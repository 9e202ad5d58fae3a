package dev.strangler.gateway.state.redis;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.OverrideSnapshot;
import dev.strangler.gateway.state.OverrideStore;
import dev.strangler.gateway.state.OverrideStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import dev.strangler.testsupport.RequiresDocker;

/**
 * The Redis store against the {@link OverrideStoreContract}, on a real Redis; each
 * {@link #open()} is another gateway instance on the same Redis.
 */
@RequiresDocker
class RedisOverrideStoreContractTests extends OverrideStoreContract {

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
	}

	@AfterEach
	void closeStores() {
		this.stores.forEach(RedisOverrideStore::close);
	}

	@Override
	protected OverrideStore open() {
		RedisOverrideStore store = new RedisOverrideStore(client,
				redis.options(this.dir.resolve("instance-" + this.stores.size())), CLOCK);
		store.start();
		this.stores.add(store);
		return store;
	}

	@Override
	protected AuditLog auditLog() {
		return new RedisAuditLog(client, redis.options(this.dir));
	}

	@Override
	protected OverrideSnapshot latest(OverrideStore store) {
		return ((RedisOverrideStore) store).resync();
	}

}
