package dev.strangler.gateway.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.strangler.gateway.cache.StoreDecision.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CachePolicyTests {

	private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");

	private static final Duration TTL = Duration.ofSeconds(30);

	private final CachePolicy policy = new CachePolicy(CachePolicy.DEFAULT_STATUSES, 1000);

	static HttpHeaders headers(String... namesAndValues) {
		HttpHeaders headers = new HttpHeaders();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	private StoreDecision decide(int status, HttpHeaders response) {
		return this.policy.decide(headers(), status, response, TTL, NOW);
	}

	@Nested
	class Requests {

		@Test
		void aPlainGetIsLoadedThroughTheCache() {
			assertThat(CachePolicyTests.this.policy.classify("GET", headers())).isEqualTo(RequestMode.LOAD);
		}

		@Test
		void aHeadOnlyPeeksAtTheGetEntry() {
			assertThat(CachePolicyTests.this.policy.classify("HEAD", headers())).isEqualTo(RequestMode.PEEK);
		}

		@ParameterizedTest
		@ValueSource(strings = { "POST", "PUT", "PATCH", "DELETE", "OPTIONS" })
		void otherMethodsBypassTheCache(String method) {
			assertThat(CachePolicyTests.this.policy.classify(method, headers())).isEqualTo(RequestMode.BYPASS_METHOD);
			assertThat(RequestMode.BYPASS_METHOD.forwardReason()).isEqualTo("method");
		}

		@Test
		void noCacheGoesToTheBackendAndRefreshesTheEntry() {
			assertThat(CachePolicyTests.this.policy.classify("GET", headers("Cache-Control", "no-cache")))
				.isEqualTo(RequestMode.REFRESH);
			assertThat(CachePolicyTests.this.policy.classify("GET", headers("Cache-Control", "max-age=0")))
				.isEqualTo(RequestMode.REFRESH);
			assertThat(RequestMode.REFRESH.forwardReason()).isEqualTo("request");
		}

		@Test
		void pragmaNoCacheCountsOnlyWithoutCacheControl() {
			assertThat(CachePolicyTests.this.policy.classify("GET", headers("Pragma", "no-cache")))
				.isEqualTo(RequestMode.REFRESH);
			assertThat(CachePolicyTests.this.policy.classify("GET",
					headers("Pragma", "no-cache", "Cache-Control", "max-age=60")))
				.isEqualTo(RequestMode.LOAD);
		}

		@Test
		void aHeadWithNoCacheGoesThroughSinceItCannotRefreshTheGetEntry() {
			assertThat(CachePolicyTests.this.policy.classify("HEAD", headers("Cache-Control", "no-cache")))
				.isEqualTo(RequestMode.BYPASS_REQUEST);
		}

		@Test
		void noStoreAndGetsWithABodyBypassTheCache() {
			assertThat(CachePolicyTests.this.policy.classify("GET", headers("Cache-Control", "no-store")))
				.isEqualTo(RequestMode.BYPASS_REQUEST);
			assertThat(CachePolicyTests.this.policy.classify("GET", headers("Content-Length", "12")))
				.isEqualTo(RequestMode.BYPASS_REQUEST);
			assertThat(CachePolicyTests.this.policy.classify("GET", headers("Transfer-Encoding", "chunked")))
				.isEqualTo(RequestMode.BYPASS_REQUEST);
			assertThat(CachePolicyTests.this.policy.classify("GET", headers("Content-Length", "0")))
				.isEqualTo(RequestMode.LOAD);
		}

	}

	@Nested
	class Responses {

		@ParameterizedTest
		@ValueSource(ints = { 200, 203, 204, 301, 404, 410 })
		void theDefaultCacheableStatusesAreStoredForTheRouteTtl(int status) {
			assertThat(decide(status, headers())).isEqualTo(new StoreDecision.Store(TTL, Duration.ZERO));
		}

		@ParameterizedTest
		@ValueSource(ints = { 201, 206, 302, 307, 400, 500, 502, 503 })
		void otherStatusesAreOnlySharedWithTheWaitingRequests(int status) {
			assertThat(decide(status, headers())).isEqualTo(new StoreDecision.ShareOnly(Reason.STATUS));
		}

		@Test
		void theCacheableStatusesAreConfigurable() {
			CachePolicy only200 = new CachePolicy(Set.of(200), 1000);

			assertThat(only200.decide(headers(), 404, headers(), TTL, NOW)).isInstanceOf(StoreDecision.ShareOnly.class);
			assertThat(only200.decide(headers(), 200, headers(), TTL, NOW)).isInstanceOf(StoreDecision.Store.class);
		}

		@Test
		void noStorePrivateAndNoCacheResponsesAreNeverStored() {
			assertThat(decide(200, headers("Cache-Control", "public, no-store")))
				.isEqualTo(new StoreDecision.Refuse(Reason.NO_STORE));
			assertThat(decide(200, headers("Cache-Control", "private, max-age=60")))
				.isEqualTo(new StoreDecision.Refuse(Reason.PRIVATE));
			assertThat(decide(200, headers("Cache-Control", "no-cache")))
				.isEqualTo(new StoreDecision.Refuse(Reason.NO_CACHE));
		}

		@Test
		void forbiddingDirectivesOnASecondHeaderLineCount() {
			HttpHeaders response = new HttpHeaders();
			response.put("Cache-Control", List.of("public, max-age=60", "private"));

			assertThat(decide(200, response)).isEqualTo(new StoreDecision.Refuse(Reason.PRIVATE));
		}

		@Test
		void aResponseSettingACookieIsNeverStoredNorShared() {
			assertThat(decide(200, headers("Set-Cookie", "session=1", "Cache-Control", "public, max-age=60")))
				.isEqualTo(new StoreDecision.Refuse(Reason.SET_COOKIE));
			assertThat(decide(500, headers("Set-Cookie", "session=1")))
				.isEqualTo(new StoreDecision.Refuse(Reason.SET_COOKIE));
		}

		@Test
		void anAuthorizedRequestsResponseIsStoredOnlyWhenPublicOrSMaxAge() {
			HttpHeaders authorized = headers("Authorization", "Bearer x");

			assertThat(CachePolicyTests.this.policy.decide(authorized, 200, headers("Cache-Control", "max-age=60"), TTL,
					NOW))
				.isEqualTo(new StoreDecision.Refuse(Reason.AUTHORIZATION));
			assertThat(CachePolicyTests.this.policy.decide(authorized, 200, headers(), TTL, NOW))
				.isEqualTo(new StoreDecision.Refuse(Reason.AUTHORIZATION));
			assertThat(
					CachePolicyTests.this.policy.decide(authorized, 200, headers("Cache-Control", "public"), TTL, NOW))
				.isEqualTo(new StoreDecision.Store(TTL, Duration.ZERO));
			assertThat(CachePolicyTests.this.policy.decide(authorized, 200, headers("Cache-Control", "s-maxage=10"),
					TTL, NOW))
				.isEqualTo(new StoreDecision.Store(Duration.ofSeconds(10), Duration.ZERO));
		}

		@Test
		void varyStarCanNeverBeReused() {
			assertThat(decide(200, headers("Vary", "Accept, *"))).isEqualTo(new StoreDecision.Refuse(Reason.VARY_ANY));
		}

		@Test
		void aDeclaredBodyAboveTheLimitIsNotStored() {
			assertThat(decide(200, headers("Content-Length", "1001")))
				.isEqualTo(new StoreDecision.Refuse(Reason.TOO_LARGE));
			assertThat(decide(200, headers("Content-Length", "1000"))).isInstanceOf(StoreDecision.Store.class);
			assertThat(CachePolicyTests.this.policy.bodyFits(1000)).isTrue();
			assertThat(CachePolicyTests.this.policy.bodyFits(1001)).isFalse();
		}

		@Test
		void anAlreadyStaleResponseIsNotStored() {
			assertThat(decide(200, headers("Cache-Control", "max-age=0")))
				.isEqualTo(new StoreDecision.Refuse(Reason.STALE));
			assertThat(decide(200, headers("Expires", "0"))).isEqualTo(new StoreDecision.Refuse(Reason.STALE));
		}

		@Test
		void theTtlIsShortenedBySMaxAgeThenMaxAgeThenExpires() {
			assertThat(decide(200, headers("Cache-Control", "max-age=20, s-maxage=5")))
				.isEqualTo(new StoreDecision.Store(Duration.ofSeconds(5), Duration.ZERO));
			assertThat(decide(200, headers("Cache-Control", "max-age=20", "Expires", "Wed, 01 Jan 2025 10:00:03 GMT")))
				.isEqualTo(new StoreDecision.Store(Duration.ofSeconds(20), Duration.ZERO));
			assertThat(decide(200, headers("Expires", "Wed, 01 Jan 2025 10:00:03 GMT")))
				.isEqualTo(new StoreDecision.Store(Duration.ofSeconds(3), Duration.ZERO));
		}

	}

	@Nested
	class Configuration {

		@Test
		void rejectsStatusesThatAreNotHttpStatuses() {
			assertThatIllegalArgumentException().isThrownBy(() -> new CachePolicy(Set.of(200, 99), 10))
				.withMessage("cacheableStatuses must be HTTP statuses 100..599 but contained 99");
		}

		@Test
		void rejectsANegativeBodyLimit() {
			assertThatIllegalArgumentException().isThrownBy(() -> new CachePolicy(Set.of(200), -1))
				.withMessage("maxBodyBytes must be at least 0 but was -1");
		}

	}

}
