package dev.strangler.gateway.cache;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static dev.strangler.gateway.cache.CachePolicyTests.headers;
import static org.assertj.core.api.Assertions.assertThat;

class CacheKeyTests {

	private static final PrimaryKey PRIMARY = PrimaryKey.of("catalog", "legacy", "GET", "/api/products", null);

	@Nested
	class Primary {

		@Test
		void queryParametersInAnotherOrderShareAKey() {
			assertThat(PrimaryKey.of("r", "legacy", "GET", "/p", "b=2&a=1&c"))
				.isEqualTo(PrimaryKey.of("r", "legacy", "GET", "/p", "a=1&c&b=2"));
		}

		@Test
		void repeatedParametersKeepTheirOrderBecauseTheyFormAList() {
			assertThat(PrimaryKey.normaliseQuery("z=0&a=2&a=1")).isEqualTo("a=2&a=1&z=0");
			assertThat(PrimaryKey.of("r", "legacy", "GET", "/p", "a=1&a=2"))
				.isNotEqualTo(PrimaryKey.of("r", "legacy", "GET", "/p", "a=2&a=1"));
		}

		@Test
		void anEmptyQueryIsNoQuery() {
			assertThat(PrimaryKey.normaliseQuery(null)).isEmpty();
			assertThat(PrimaryKey.normaliseQuery("")).isEmpty();
			assertThat(PrimaryKey.normaliseQuery("&&")).isEmpty();
		}

		@Test
		void headSharesTheGetEntry() {
			assertThat(PrimaryKey.of("r", "legacy", "HEAD", "/p", "x=1"))
				.isEqualTo(PrimaryKey.of("r", "legacy", "GET", "/p", "x=1"));
		}

		@Test
		void routeBackendAndPathArePartOfTheKey() {
			PrimaryKey key = PrimaryKey.of("r", "legacy", "GET", "/p", null);

			assertThat(key).isNotEqualTo(PrimaryKey.of("s", "legacy", "GET", "/p", null))
				.isNotEqualTo(PrimaryKey.of("r", "target", "GET", "/p", null))
				.isNotEqualTo(PrimaryKey.of("r", "legacy", "GET", "/q", null));
		}

	}

	@Nested
	class Vary {

		@Test
		void requestsDifferingInAVaryHeaderGetDifferentKeys() {
			assertThat(CacheKey.of(PRIMARY, List.of("Accept"), headers("Accept", "application/json")))
				.isNotEqualTo(CacheKey.of(PRIMARY, List.of("Accept"), headers("Accept", "text/html")));
		}

		@Test
		void headersNotVariedOnDoNotSplitTheKey() {
			assertThat(CacheKey.of(PRIMARY, List.of("Accept"), headers("Accept", "text/html", "User-Agent", "a")))
				.isEqualTo(CacheKey.of(PRIMARY, List.of("Accept"), headers("Accept", "text/html", "User-Agent", "b")));
		}

		@Test
		void valuesAreNormalisedAcrossLinesAndWhitespace() {
			assertThat(CacheKey.of(PRIMARY, List.of("accept-language"), headers("Accept-Language", "de ,en")))
				.isEqualTo(CacheKey.of(PRIMARY, List.of("Accept-Language"),
						headers("accept-language", "de", "accept-language", " en")));
		}

		@Test
		void anAbsentHeaderDiffersFromAnEmptyOne() {
			assertThat(CacheKey.selectingValues(List.of("Accept"), headers())).isEqualTo(Map.of("accept", List.of()));
			assertThat(CacheKey.of(PRIMARY, List.of("Accept"), headers()))
				.isNotEqualTo(CacheKey.of(PRIMARY, List.of("Accept"), headers("Accept", "")));
		}

		@Test
		void theResponsesVaryNamesAreReadLowerCased() {
			HttpHeaders response = headers("Vary", "Accept-Encoding, ACCEPT", "Vary", "X-Tenant");

			assertThat(VaryHeader.names(response)).containsExactly("accept-encoding", "accept", "x-tenant");
		}

	}

}
