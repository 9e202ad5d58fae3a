package dev.strangler.gateway.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class FreshnessTests {

	private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");

	private static final Duration ROUTE_TTL = Duration.ofSeconds(30);

	private static Freshness freshness(HttpHeaders headers) {
		return Freshness.of(CacheControl.parse(headers.getOrEmpty(HttpHeaders.CACHE_CONTROL)), headers, NOW);
	}

	private static HttpHeaders headers(String... namesAndValues) {
		HttpHeaders headers = new HttpHeaders();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	@Nested
	class Lifetime {

		@Test
		void sMaxAgeWinsOverMaxAgeAndExpires() {
			Freshness freshness = freshness(
					headers("Cache-Control", "max-age=20, s-maxage=5", "Expires", "Wed, 01 Jan 2025 10:00:50 GMT"));

			assertThat(freshness.lifetime()).contains(Duration.ofSeconds(5));
		}

		@Test
		void maxAgeWinsOverExpires() {
			Freshness freshness = freshness(
					headers("Cache-Control", "max-age=20", "Expires", "Wed, 01 Jan 2025 10:00:50 GMT"));

			assertThat(freshness.lifetime()).contains(Duration.ofSeconds(20));
		}

		@Test
		void expiresCountsFromTheOriginsOwnDateSoClockSkewDoesNotMatter() {
			Freshness freshness = freshness(
					headers("Date", "Wed, 01 Jan 2025 09:00:00 GMT", "Expires", "Wed, 01 Jan 2025 09:00:12 GMT"));

			assertThat(freshness.lifetime()).contains(Duration.ofSeconds(12));
		}

		@Test
		void expiresWithoutDateCountsFromNow() {
			Freshness freshness = freshness(headers("Expires", "Wed, 01 Jan 2025 10:00:15 GMT"));

			assertThat(freshness.lifetime()).contains(Duration.ofSeconds(15));
		}

		@Test
		void anInvalidExpiresIsInThePast() {
			assertThat(freshness(headers("Expires", "0")).lifetime()).contains(Duration.ZERO);
			assertThat(freshness(headers("Expires", "Wed, 01 Jan 2025 09:59:00 GMT")).lifetime())
				.contains(Duration.ZERO);
		}

		@Test
		void theObsoleteDateFormatsAreAccepted() {
			assertThat(Freshness.parseHttpDate("Wednesday, 01-Jan-25 10:00:00 GMT"))
				.contains(Instant.parse("2025-01-01T10:00:00Z"));
			assertThat(Freshness.parseHttpDate("Wed Jan  1 10:00:00 2025"))
				.contains(Instant.parse("2025-01-01T10:00:00Z"));
		}

		@Test
		void noFreshnessInformationLeavesTheRouteTtl() {
			Freshness freshness = freshness(headers());

			assertThat(freshness.lifetime()).isEmpty();
			assertThat(freshness.timeToLive(ROUTE_TTL)).isEqualTo(ROUTE_TTL);
		}

	}

	@Nested
	class TimeToLive {

		@Test
		void aShorterMaxAgeShortensTheRouteTtl() {
			assertThat(freshness(headers("Cache-Control", "max-age=10")).timeToLive(ROUTE_TTL))
				.isEqualTo(Duration.ofSeconds(10));
		}

		@Test
		void aLongerMaxAgeNeverExtendsTheRouteTtl() {
			assertThat(freshness(headers("Cache-Control", "max-age=600")).timeToLive(ROUTE_TTL)).isEqualTo(ROUTE_TTL);
		}

		@Test
		void theAgeAResponseArrivesWithIsTakenOffItsLifetime() {
			Freshness freshness = freshness(headers("Cache-Control", "max-age=60", "Age", "50"));

			assertThat(freshness.initialAge()).isEqualTo(Duration.ofSeconds(50));
			assertThat(freshness.timeToLive(ROUTE_TTL)).isEqualTo(Duration.ofSeconds(10));
		}

		@Test
		void aResponseOlderThanItsLifetimeIsStale() {
			assertThat(freshness(headers("Cache-Control", "max-age=60", "Age", "61")).timeToLive(ROUTE_TTL)).isZero();
		}

		@Test
		void anInvalidAgeIsIgnored() {
			assertThat(freshness(headers("Age", "old")).initialAge()).isZero();
			assertThat(freshness(headers("Age", "-3")).initialAge()).isZero();
		}

		@Test
		void aMultiLineCacheControlIsReadWhole() {
			HttpHeaders headers = new HttpHeaders();
			headers.put("Cache-Control", List.of("public", "max-age=7"));

			assertThat(freshness(headers).timeToLive(ROUTE_TTL)).isEqualTo(Duration.ofSeconds(7));
		}

	}

}
