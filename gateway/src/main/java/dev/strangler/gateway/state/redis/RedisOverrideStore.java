package dev.strangler.gateway.state.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.OverrideChange;
import dev.strangler.gateway.state.OverrideSettings;
import dev.strangler.gateway.state.OverrideSnapshot;
import dev.strangler.gateway.state.OverrideStore;
import dev.strangler.gateway.state.OverrideUpdate;
import dev.strangler.gateway.state.RevisionConflictException;
import dev.strangler.gateway.state.RouteOverride;
import dev.strangler.gateway.state.SnapshotFile;
import dev.strangler.gateway.state.StateFileException;
import dev.strangler.gateway.state.StateJson;
import dev.strangler.gateway.state.StateUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The {@link OverrideStore} shared by several gateway instances through Redis
 * (docs/deployment.md).
 *
 * <pre>{@code
 * RedisOverrideStore store = new RedisOverrideStore(template, options, Clock.systemUTC());
 * store.start(); // follow pub/sub and resync periodically
 * }</pre>
 *
 * <ul>
 * <li>Each change is one Lua script: it checks the route's revision (compare-and-set),
 * writes the override, bumps the route's and the store's revision, appends the audit
 * entry to a capped stream and publishes the new revision, all or nothing.</li>
 * <li>Every instance reads the whole state again when a change is published, and every
 * {@code resyncInterval} whatever pub/sub said, so a lost message or a reconnect costs at
 * most one interval.</li>
 * <li>Routing only ever reads the last state seen: Redis down or hanging never stops
 * traffic. Writes then fail with {@link StateUnavailableException} after
 * {@code timeout}.</li>
 * <li>The last state seen is kept in a local snapshot file; a start while Redis is
 * unreachable starts from it (with a loud warning), or, without one, waits
 * {@code startupWait} and fails.</li>
 * </ul>
 */
public final class RedisOverrideStore implements OverrideStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisOverrideStore.class);

	// A writer that loses the compare-and-set this many times in a row gives up: the
	// route is changing faster than operators can mean it to.
	private static final int MAX_ATTEMPTS = 20;

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> WRITE = RedisScript
		.of(new ClassPathResource("dev/strangler/gateway/state/redis/write.lua"), List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> READ = RedisScript
		.of(new ClassPathResource("dev/strangler/gateway/state/redis/read.lua"), List.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisStateOptions options;

	private final Clock clock;

	private final SnapshotFile snapshotFile;

	private final List<Consumer<OverrideSnapshot>> listeners = new CopyOnWriteArrayList<>();

	private final Object applyLock = new Object();

	// Writers of one instance take turns: they would otherwise only race each other's
	// compare-and-set, and a busy instance could starve one of its own writers.
	private final ReentrantLock writeLock = new ReentrantLock();

	// EMPTY until the constructor has read the shared state or the local snapshot.
	private volatile OverrideSnapshot snapshot = OverrideSnapshot.EMPTY;

	private volatile Optional<String> problem = Optional.empty();

	private volatile Optional<Instant> lastSync = Optional.empty();

	private volatile Disposable following;

	/**
	 * Opens the store: reads the shared state, or, when Redis cannot be reached, the
	 * local snapshot; without one, retries for {@code startupWait}.
	 * @param redis the Redis connection
	 * @param options keys, bounds and timeouts
	 * @param clock stamps overrides and audit entries
	 * @throws StateUnavailableException when Redis stays unreachable and there is no
	 * local snapshot
	 * @throws StateFileException when the local snapshot is not valid
	 */
	public RedisOverrideStore(ReactiveStringRedisTemplate redis, RedisStateOptions options, Clock clock) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.options = Objects.requireNonNull(options, "options");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.keys = new RedisKeys(options.keyPrefix());
		this.snapshotFile = new SnapshotFile(options.snapshotFile());
		this.snapshotFile.prepare();
		this.snapshot = initialSnapshot();
	}

	/**
	 * Starts following the shared state: pub/sub and the periodic resync.
	 */
	public void start() {
		Flux<Object> published = RedisChannels.follow(this.redis, this.keys.changes(), this.options.resyncInterval())
			.map(Object.class::cast);
		Flux<Object> ticks = Flux.interval(this.options.resyncInterval()).map(Object.class::cast);
		this.following = Flux.merge(published, ticks)
			.onBackpressureLatest()
			// apply syncs a file and rebuilds the routes: never on a Redis I/O thread.
			.concatMap((signal) -> fetch().publishOn(Schedulers.boundedElastic())
				.doOnNext(this::apply)
				.then()
				.onErrorResume((ex) -> {
					unreachable(ex);
					return Mono.empty();
				}), 1)
			.subscribe();
	}

	@Override
	public void close() {
		Disposable current = this.following;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public OverrideSnapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * How the connection to Redis is, for health.
	 * @return the status
	 */
	public Status status() {
		return new Status(this.problem.isEmpty(), this.problem, this.snapshot.revision(), this.lastSync);
	}

	@Override
	public OverrideChange update(String routeId, Actor actor, String reason, OptionalLong expectedRevision,
			Function<Optional<RouteOverride>, Optional<OverrideSettings>> change) {
		this.writeLock.lock();
		try {
			return updateInTurn(routeId, actor, reason, expectedRevision, change);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	private OverrideChange updateInTurn(String routeId, Actor actor, String reason, OptionalLong expectedRevision,
			Function<Optional<RouteOverride>, Optional<OverrideSettings>> change) {
		// OverrideUpdate.of checks the arguments.
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			if (attempt > 0) {
				backOff(attempt);
			}
			OverrideSnapshot current = call(fetch(), "read the shared overrides");
			apply(current);
			OverrideUpdate update = OverrideUpdate.of(current, routeId, actor, reason, expectedRevision, change,
					this.clock.instant());
			if (update.changesNothing()) {
				return update.committed(current);
			}
			List<String> args = List.of(routeId, Long.toString(update.routeRevision()),
					update.after().map(StateJson::override).orElse(""), StateJson.auditEntry(update.audit()),
					Integer.toString(this.options.auditMaxEntries()), this.keys.changes());
			List<String> result = strings(call(this.redis
				.execute(WRITE,
						List.of(this.keys.overrides(), this.keys.routeRevisions(), this.keys.revision(),
								this.keys.audit()),
						args)
				.next(), "store the override of route '" + routeId + "'"));
			if ("1".equals(result.get(0))) {
				OverrideSnapshot next = update.applyTo(current, Long.parseLong(result.get(1)),
						Long.parseLong(result.get(2)));
				apply(next);
				return update.committed(next);
			}
			// Another instance changed the route between our read and our write.
			if (expectedRevision.isPresent()) {
				Optional<RouteOverride> override = result.get(2).isEmpty() ? Optional.empty()
						: Optional.of(StateJson.override(routeId, result.get(2)));
				throw new RevisionConflictException(routeId, expectedRevision.getAsLong(),
						Long.parseLong(result.get(1)), override);
			}
		}
		throw new StateUnavailableException("route '" + routeId + "' changed " + MAX_ATTEMPTS
				+ " times while this change was being made; nothing was changed, try again", null);
	}

	// Instances that lost the compare-and-set to each other retry at random moments, so
	// that the next attempts do not collide again (full jitter, capped at 32 ms).
	private static void backOff(int attempt) {
		long capMillis = 1L << Math.min(attempt, 5);
		LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(capMillis + 1)));
	}

	@Override
	public Subscription subscribe(Consumer<OverrideSnapshot> listener) {
		Objects.requireNonNull(listener, "listener");
		synchronized (this.applyLock) {
			this.listeners.add(listener);
			listener.accept(this.snapshot);
		}
		return () -> this.listeners.remove(listener);
	}

	/**
	 * Reads the shared state now and applies it, as the periodic resync does.
	 * @return the snapshot in force afterwards
	 * @throws StateUnavailableException when Redis cannot be reached
	 */
	public OverrideSnapshot resync() {
		apply(call(fetch(), "read the shared overrides"));
		return this.snapshot;
	}

	@Override
	public String toString() {
		return "RedisOverrideStore[prefix=" + this.keys.prefix() + ", revision=" + this.snapshot.revision() + "]";
	}

	private OverrideSnapshot initialSnapshot() {
		Optional<OverrideSnapshot> local = this.snapshotFile.read();
		try {
			OverrideSnapshot shared = call(fetch(), "read the shared overrides");
			warnIfBehind(shared, local);
			this.lastSync = Optional.of(this.clock.instant());
			writeLocal(shared);
			return shared;
		}
		catch (StateUnavailableException ex) {
			if (local.isPresent()) {
				logger.warn("""

						!!! Redis (the shared state store) cannot be reached: {}
						!!! This instance starts from its local snapshot {} at revision {} ({} override(s)),
						!!! which may be older than the shared state. Admin writes are refused until Redis answers;
						!!! the instance resyncs as soon as it does.""", ex.getMessage(),
						this.snapshotFile.file().toAbsolutePath(), local.get().revision(),
						local.get().overrides().size());
				this.problem = Optional.of(ex.getMessage());
				return local.get();
			}
		}
		logger.warn(
				"Redis (the shared state store) cannot be reached and there is no local snapshot at {}; "
						+ "waiting up to {} for it",
				this.snapshotFile.file().toAbsolutePath(), this.options.startupWait());
		try {
			OverrideSnapshot shared = fetch()
				.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2)))
				.timeout(this.options.startupWait())
				.block();
			this.lastSync = Optional.of(this.clock.instant());
			writeLocal(shared);
			return shared;
		}
		catch (RuntimeException ex) {
			throw new StateUnavailableException(
					"Redis (the shared state store, spring.data.redis.*) could not be " + "reached within "
							+ this.options.startupWait() + " (strangler.state.redis.startup-wait) and "
							+ "there is no local snapshot " + this.snapshotFile.file().toAbsolutePath()
							+ " to start from: this instance cannot know the overrides in force, so it does not start",
					ex);
		}
	}

	private void warnIfBehind(OverrideSnapshot shared, Optional<OverrideSnapshot> local) {
		if (local.isPresent() && local.get().revision() > shared.revision()) {
			logger.error("Redis holds revision {} of the shared state but this instance saw revision {}: Redis lost "
					+ "data (restarted without persistence?). The Redis state is used; the last state this instance "
					+ "saw is in {}", shared.revision(), local.get().revision(),
					this.snapshotFile.file().toAbsolutePath());
		}
	}

	private Mono<OverrideSnapshot> fetch() {
		return this.redis.execute(READ, this.keys.state(), List.of())
			.next()
			.map(RedisOverrideStore::strings)
			.map(RedisOverrideStore::parse);
	}

	// read.lua answers: revision, number of overrides n, n pairs (route, JSON), then
	// pairs (route, revision) to the end.
	private static OverrideSnapshot parse(List<String> reply) {
		long revision = Long.parseLong(reply.get(0));
		int count = Integer.parseInt(reply.get(1));
		Map<String, RouteOverride> overrides = new TreeMap<>();
		int i = 2;
		for (int n = 0; n < count; n++, i += 2) {
			overrides.put(reply.get(i), StateJson.override(reply.get(i), reply.get(i + 1)));
		}
		Map<String, Long> revisions = new TreeMap<>();
		for (; i + 1 < reply.size(); i += 2) {
			revisions.put(reply.get(i), Long.parseLong(reply.get(i + 1)));
		}
		return new OverrideSnapshot(revision, overrides, revisions);
	}

	/**
	 * Swaps in a snapshot read from Redis when it is newer than the one in force, then
	 * keeps it locally and tells the listeners, in revision order.
	 */
	private void apply(OverrideSnapshot fetched) {
		synchronized (this.applyLock) {
			if (this.problem.isPresent()) {
				logger.info("Redis (the shared state store) answers again; resynced at revision {}",
						fetched.revision());
			}
			this.problem = Optional.empty();
			this.lastSync = Optional.of(this.clock.instant());
			if (fetched.revision() <= this.snapshot.revision() && !fetched.equals(this.snapshot)) {
				if (fetched.revision() < this.snapshot.revision()) {
					logger.error(
							"Redis holds revision {} of the shared state, older than revision {} in force here:"
									+ " Redis lost data (restarted without persistence?); the state in force is kept",
							fetched.revision(), this.snapshot.revision());
				}
				return;
			}
			if (fetched.equals(this.snapshot)) {
				return;
			}
			this.snapshot = fetched;
			writeLocal(fetched);
			for (Consumer<OverrideSnapshot> listener : this.listeners) {
				try {
					listener.accept(fetched);
				}
				catch (RuntimeException ex) {
					logger.error("Override listener {} failed on revision {}", listener, fetched.revision(), ex);
				}
			}
		}
	}

	private void writeLocal(OverrideSnapshot shared) {
		try {
			this.snapshotFile.write(shared);
		}
		catch (StateFileException ex) {
			// The shared state is in force all the same; only a start without Redis
			// would miss it.
			logger.error("Local snapshot of the shared state not written: {}", ex.getMessage());
		}
	}

	private void unreachable(Throwable ex) {
		String message = describe(ex);
		if (this.problem.isEmpty()) {
			logger.error("Redis (the shared state store) cannot be reached: {}; traffic keeps the state at revision"
					+ " {}, admin writes are refused until it answers", message, this.snapshot.revision());
		}
		this.problem = Optional.of(message);
	}

	private <T> T call(Mono<T> call, String what) {
		try {
			T result = call.timeout(this.options.timeout()).block();
			if (result == null) {
				throw new IllegalStateException("no answer");
			}
			return result;
		}
		catch (RuntimeException ex) {
			unreachable(ex);
			throw new StateUnavailableException("could not " + what + ": Redis (the shared state store) " + describe(ex)
					+ "; nothing was changed, unless the answer alone was lost (the state shown "
					+ "after the next resync says)", ex);
		}
	}

	private static String describe(Throwable ex) {
		Throwable cause = ex;
		if (cause instanceof java.util.concurrent.TimeoutException
				|| (cause.getCause() != null && cause.getCause() instanceof java.util.concurrent.TimeoutException)) {
			return "did not answer in time";
		}
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return "is unreachable (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
	}

	@SuppressWarnings("rawtypes")
	private static List<String> strings(List reply) {
		List<String> strings = new ArrayList<>(reply.size());
		for (Object element : reply) {
			strings.add(String.valueOf(element));
		}
		return strings;
	}

	/**
	 * The store's connection, as health shows it.
	 *
	 * @param reachable whether the last call to Redis succeeded
	 * @param problem why not, when not
	 * @param revision the revision in force on this instance
	 * @param lastSync when the shared state was last read
	 */
	public record Status(boolean reachable, Optional<String> problem, long revision, Optional<Instant> lastSync) {

	}

}
