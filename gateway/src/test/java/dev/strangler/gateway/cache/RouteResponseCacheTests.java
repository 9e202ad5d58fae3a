package dev.strangler.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.strangler.gateway.cache.RouteResponseCache.Lookup;
import dev.strangler.gateway.cache.StoreDecision.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static dev.strangler.gateway.cache.CachePolicyTests.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RouteResponseCacheTests {

	private static final Duration TTL = Duration.ofSeconds(30);

	private static final PrimaryKey PRODUCTS = PrimaryKey.of("catalog", "legacy", "GET", "/api/products", null);

	private final FakeTime time = new FakeTime();

	private RouteResponseCache cache = cache(new CacheSettings(TTL, 1000, 1024 * 1024, List.of()));

	private RouteResponseCache cache(CacheSettings settings) {
		return new RouteResponseCache("catalog", settings, new CachePolicy(CachePolicy.DEFAULT_STATUSES, 512 * 1024),
				this.time, this.time, Runnable::run);
	}

	/**
	 * Looks a request up; when it starts the load, answers it at once with the given
	 * response.
	 */
	private Lookup get(PrimaryKey key, HttpHeaders request, int status, HttpHeaders response, String body) {
		return this.cache.lookup(key, request, (missing) -> CompletableFuture
			.completedFuture(load(request, status, response, body.getBytes(StandardCharsets.UTF_8))));
	}

	private Lookup get(HttpHeaders response, String body) {
		return get(PRODUCTS, headers(), 200, response, body);
	}

	private Loaded load(HttpHeaders request, int status, HttpHeaders response, byte[] body) {
		return this.cache.capture(this.cache.decide(request, status, response), request, status, response, body);
	}

	private static String body(Lookup lookup) {
		return StandardCharsets.UTF_8.decode(lookup.result().join().response().body()).toString();
	}

	@Nested
	class HitsAndExpiry {

		@Test
		void aStoredResponseIsServedWithoutLoadingAgain() {
			Lookup first = get(headers(), "v1");
			Lookup second = get(headers(), "v2");

			assertThat(first.loading()).isTrue();
			assertThat(second.loading()).isFalse();
			assertThat(body(second)).isEqualTo("v1");
		}

		@Test
		void anEntryExpiresAfterTheRouteTtl() {
			get(headers(), "v1");

			RouteResponseCacheTests.this.time.advance(TTL.minusMillis(1));
			assertThat(get(headers(), "v2").loading()).isFalse();
			RouteResponseCacheTests.this.time.advance(Duration.ofMillis(1));
			Lookup afterTtl = get(headers(), "v2");

			assertThat(afterTtl.loading()).isTrue();
			assertThat(body(afterTtl)).isEqualTo("v2");
		}

		@Test
		void aShorterMaxAgeExpiresTheEntryEarlier() {
			get(headers("Cache-Control", "max-age=5"), "v1");

			RouteResponseCacheTests.this.time.advance(Duration.ofMillis(4_999));
			assertThat(get(headers(), "v2").loading()).isFalse();
			RouteResponseCacheTests.this.time.advance(Duration.ofMillis(1));

			assertThat(get(headers(), "v2").loading()).isTrue();
		}

		@Test
		void ageGrowsWithTheTimeTheEntryIsHeld() {
			get(headers("Age", "2"), "v1");
			RouteResponseCacheTests.this.time.advance(Duration.ofSeconds(7));

			CachedResponse hit = get(headers(), "v2").result().join().response();

			assertThat(RouteResponseCacheTests.this.cache.ageSeconds(hit)).isEqualTo(9);
			RouteResponseCacheTests.this.time.advance(Duration.ofSeconds(10));
			assertThat(RouteResponseCacheTests.this.cache.ageSeconds(hit)).isEqualTo(19);
		}

		@Test
		void aHeadPeeksAtTheGetEntryWithoutLoading() {
			PrimaryKey head = PrimaryKey.of("catalog", "legacy", "HEAD", "/api/products", null);
			assertThat(RouteResponseCacheTests.this.cache.peek(head, headers())).isNull();

			get(headers(), "v1");

			assertThat(RouteResponseCacheTests.this.cache.peek(head, headers()).join().stored()).isTrue();
		}

		@Test
		void differentlyOrderedQueriesShareAnEntry() {
			get(PrimaryKey.of("catalog", "legacy", "GET", "/api/products", "page=2&size=10"), headers(), 200, headers(),
					"v1");

			Lookup reordered = get(PrimaryKey.of("catalog", "legacy", "GET", "/api/products", "size=10&page=2"),
					headers(), 200, headers(), "v2");

			assertThat(reordered.loading()).isFalse();
		}

		@Test
		void invalidateAllEmptiesTheCache() {
			get(headers(), "v1");

			RouteResponseCacheTests.this.cache.invalidateAll();

			assertThat(get(headers(), "v2").loading()).isTrue();
		}

		@Test
		void hitsAndMissesAreRecordedForMetrics() {
			get(headers(), "v1");
			get(headers(), "v1");
			get(headers(), "v1");

			assertThat(RouteResponseCacheTests.this.cache.caffeine().synchronous().stats().missCount()).isEqualTo(1);
			assertThat(RouteResponseCacheTests.this.cache.caffeine().synchronous().stats().hitCount()).isEqualTo(2);
		}

	}

	@Nested
	class NotStored {

		@Test
		void aRefusedResponseIsNotKeptAndNotHandedToOthers() {
			Lookup first = get(headers("Set-Cookie", "s=1"), "mine");

			assertThat(first.result().join().decision()).isEqualTo(new StoreDecision.Refuse(Reason.SET_COOKIE));
			assertThat(first.result().join().usableFor(headers())).isEmpty();
			assertThat(get(headers("Set-Cookie", "s=2"), "yours").loading()).isTrue();
		}

		@Test
		void aResponseWithAnUncacheableStatusIsSharedButNotKept() {
			Lookup failed = get(PRODUCTS, headers(), 503, headers(), "down");

			assertThat(failed.result().join().usableFor(headers())).isPresent();
			assertThat(get(headers(), "up").loading()).isTrue();
		}

		@Test
		void aBodyAboveTheLimitIsNotKept() {
			Loaded loaded = RouteResponseCacheTests.this.cache.capture(new StoreDecision.Store(TTL, Duration.ZERO),
					headers(), 200, headers(), new byte[512 * 1024 + 1]);

			assertThat(loaded.decision()).isEqualTo(new StoreDecision.Refuse(Reason.TOO_LARGE));
			assertThat(RouteResponseCacheTests.this.cache.bodyFits(512 * 1024)).isTrue();
		}

		@Test
		void aFailedLoadIsNotCachedAndFailsEveryWaiter() {
			CompletableFuture<Loaded> backend = new CompletableFuture<>();
			Lookup first = RouteResponseCacheTests.this.cache.lookup(PRODUCTS, headers(), (key) -> backend);
			Lookup waiter = RouteResponseCacheTests.this.cache.lookup(PRODUCTS, headers(), (key) -> {
				throw new AssertionError("a second load while the first is in flight");
			});

			backend.completeExceptionally(new IllegalStateException("connection refused"));

			assertThat(waiter.loading()).isFalse();
			assertThat(first.result().join().failure()).isInstanceOf(IllegalStateException.class);
			assertThat(waiter.result().join().failure()).hasMessage("connection refused");
			assertThat(waiter.result().join().usableFor(headers())).isEmpty();
			assertThat(get(headers(), "v1").loading()).isTrue();
		}

		@Test
		void aRefreshWithAnUnstorableResponseDropsTheOldEntry() {
			get(headers(), "v1");

			RouteResponseCacheTests.this.cache.refresh(PRODUCTS, headers(),
					load(headers(), 200, headers("Cache-Control", "no-store"), new byte[0]));

			assertThat(get(headers(), "v2").loading()).isTrue();
		}

		@Test
		void aRefreshReplacesTheEntry() {
			get(headers(), "v1");

			RouteResponseCacheTests.this.cache.refresh(PRODUCTS, headers(),
					load(headers(), 200, headers(), "v2".getBytes(StandardCharsets.UTF_8)));

			assertThat(body(get(headers(), "v3"))).isEqualTo("v2");
		}

	}

	@Nested
	class Vary {

		@Test
		void theRoutesVaryHeadersSplitEntries() {
			RouteResponseCacheTests.this.cache = cache(new CacheSettings(TTL, 1000, 1024 * 1024, List.of("Accept")));
			get(PRODUCTS, headers("Accept", "application/json"), 200, headers(), "json");

			Lookup html = get(PRODUCTS, headers("Accept", "text/html"), 200, headers(), "html");
			Lookup json = get(PRODUCTS, headers("Accept", "application/json"), 200, headers(), "other");

			assertThat(html.loading()).isTrue();
			assertThat(json.loading()).isFalse();
			assertThat(body(json)).isEqualTo("json");
		}

		@Test
		void theResponsesOwnVaryIsLearntForItsUrl() {
			HttpHeaders varies = headers("Vary", "Accept-Language");
			get(PRODUCTS, headers("Accept-Language", "en"), 200, varies, "english");

			Lookup german = get(PRODUCTS, headers("Accept-Language", "de"), 200, varies, "deutsch");
			Lookup english = get(PRODUCTS, headers("Accept-Language", "en"), 200, varies, "other");
			Lookup germanAgain = get(PRODUCTS, headers("Accept-Language", "de"), 200, varies, "other");

			assertThat(german.loading()).isTrue();
			assertThat(english.loading()).isFalse();
			assertThat(body(english)).isEqualTo("english");
			assertThat(body(germanAgain)).isEqualTo("deutsch");
		}

		@Test
		void requestsThatBuiltTheirKeyBeforeTheVaryWasLearntStillFindTheEntry() {
			HttpHeaders english = headers("Accept-Language", "en");
			Lookup first = get(PRODUCTS, english, 200, headers("Vary", "Accept-Language"), "english");

			CompletableFuture<Loaded> underFirstKey = RouteResponseCacheTests.this.cache.caffeine()
				.getIfPresent(first.key());

			assertThat(underFirstKey).isNotNull();
			assertThat(underFirstKey.join().usableFor(english)).isPresent();
			assertThat(underFirstKey.join().usableFor(headers("Accept-Language", "de"))).isEmpty();
		}

		@Test
		void aCompressedResponseVariesOnAcceptEncodingEvenWithoutSayingSo() {
			HttpHeaders gzipped = headers("Content-Encoding", "gzip");
			get(PRODUCTS, headers("Accept-Encoding", "gzip"), 200, gzipped, "compressed");

			Lookup gzipAgain = get(PRODUCTS, headers("Accept-Encoding", "gzip"), 200, gzipped, "other");
			Lookup plain = get(PRODUCTS, headers(), 200, headers(), "plain");

			assertThat(body(gzipAgain)).isEqualTo("compressed");
			assertThat(plain.loading()).isTrue();
			assertThat(body(plain)).isEqualTo("plain");
		}

		@Test
		void aWaiterWhoseHeadersTheResponseTurnsOutToVaryOnGoesToTheBackendItself() {
			CompletableFuture<Loaded> backend = new CompletableFuture<>();
			HttpHeaders english = headers("Accept-Language", "en");
			HttpHeaders german = headers("Accept-Language", "de");
			RouteResponseCacheTests.this.cache.lookup(PRODUCTS, english, (key) -> backend);
			Lookup waiter = RouteResponseCacheTests.this.cache.lookup(PRODUCTS, german, (key) -> backend);

			backend.complete(load(english, 200, headers("Vary", "Accept-Language"), new byte[1]));

			assertThat(waiter.loading()).isFalse();
			assertThat(waiter.result().join().usableFor(german)).isEmpty();
			assertThat(waiter.result().join().usableFor(english)).isPresent();
		}

	}

	@Nested
	class Coalescing {

		@Test
		void aHundredConcurrentMissesForOneKeyMakeOneLoadAndAllGetTheBody() throws Exception {
			int clients = 100;
			AtomicInteger loads = new AtomicInteger();
			CompletableFuture<Loaded> backend = new CompletableFuture<>();
			CountDownLatch start = new CountDownLatch(1);
			CountDownLatch lookedUp = new CountDownLatch(clients);
			ConcurrentLinkedQueue<Lookup> lookups = new ConcurrentLinkedQueue<>();
			ExecutorService threads = Executors.newFixedThreadPool(clients);
			try {
				List<Future<String>> bodies = new ArrayList<>();
				for (int i = 0; i < clients; i++) {
					bodies.add(threads.submit(() -> {
						start.await();
						Lookup lookup = RouteResponseCacheTests.this.cache.lookup(PRODUCTS, headers(), (key) -> {
							loads.incrementAndGet();
							return backend;
						});
						lookups.add(lookup);
						lookedUp.countDown();
						return body(lookup);
					}));
				}
				start.countDown();
				// the backend answers only once every client has looked up the key
				assertThat(lookedUp.await(10, TimeUnit.SECONDS)).isTrue();
				backend.complete(load(headers(), 200, headers(), "catalog".getBytes(StandardCharsets.UTF_8)));

				for (Future<String> body : bodies) {
					assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("catalog");
				}
			}
			finally {
				threads.shutdownNow();
			}
			assertThat(loads).hasValue(1);
			assertThat(lookups).filteredOn(Lookup::loading).hasSize(1);
		}

	}

	@Nested
	class Bounds {

		@Test
		void fillingTheCacheWithTenTimesItsByteBudgetKeepsTheWeighedSizeUnderIt() {
			long budget = 200_000;
			RouteResponseCacheTests.this.cache = cache(new CacheSettings(TTL, 10_000, budget, List.of()));
			long written = 0;
			for (int i = 0; written < 10 * budget; i++) {
				Lookup lookup = get(PrimaryKey.of("catalog", "legacy", "GET", "/p/" + i, null), headers(), 200,
						headers(), "x".repeat(5_000));
				written += lookup.result().join().response().weight();
			}

			RouteResponseCacheTests.this.cache.cleanUp();

			assertThat(RouteResponseCacheTests.this.cache.weightedSize()).isPositive().isLessThanOrEqualTo(budget);
		}

		@Test
		void theEntryCountHoldsWhenEntriesAreSmall() {
			RouteResponseCacheTests.this.cache = cache(new CacheSettings(TTL, 50, 1024 * 1024, List.of()));
			for (int i = 0; i < 500; i++) {
				get(PrimaryKey.of("catalog", "legacy", "GET", "/p/" + i, null), headers(), 200, headers(), "tiny");
			}

			RouteResponseCacheTests.this.cache.cleanUp();

			assertThat(RouteResponseCacheTests.this.cache.estimatedSize()).isPositive().isLessThanOrEqualTo(50);
		}

	}

	@Nested
	class Settings {

		@Test
		void rejectsBadLimitsNamingTheField() {
			assertThatIllegalArgumentException().isThrownBy(() -> new CacheSettings(Duration.ZERO, 1, 1, List.of()))
				.withMessage("ttl must be positive but was PT0S");
			assertThatIllegalArgumentException().isThrownBy(() -> new CacheSettings(TTL, 0, 1, List.of()))
				.withMessage("maxEntries must be at least 1 but was 0");
			assertThatIllegalArgumentException().isThrownBy(() -> new CacheSettings(TTL, 1, 0, List.of()))
				.withMessage("maxBytes must be at least 1 but was 0");
		}

		@Test
		void aHugeByteBudgetWithFewEntriesIsAccepted() {
			RouteResponseCacheTests.this.cache = cache(new CacheSettings(TTL, 1, 64L * 1024 * 1024 * 1024, List.of()));

			assertThat(get(headers(), "v1").loading()).isTrue();
			assertThat(get(headers(), "v2").loading()).isFalse();
		}

		@Test
		void varyNamesAreLowerCasedOnce() {
			assertThat(new CacheSettings(TTL, 1, 1, List.of("Accept", "accept ", "X-Tenant")).vary())
				.containsExactly("accept", "x-tenant");
		}

	}

}
