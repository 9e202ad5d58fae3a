package dev.strangler.gateway.path;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PathNormalizerTests {

	@Nested
	class Normalized {

		@ParameterizedTest
		@CsvSource({ "/api/products/../orders/1, /api/orders/1", "/api/products/./1, /api/products/1",
				"/api/products/.., /api/", "/api/products/., /api/products/", "/a/b/c/../../d, /a/d",
				"/a/./b/./, /a/b/", "/api//orders//1, /api/orders/1", "//api/orders, /api/orders",
				"/api/products/..//orders, /api/orders", "/a/.., /" })
		void dotSegmentsAreResolvedAndSlashRunsMerged(String raw, String normalized) {
			assertThat(PathNormalizer.normalize(raw)).isEqualTo(normalized);
		}

		@ParameterizedTest
		@ValueSource(strings = { "/", "/api/products/42", "/api/products/", "/.well-known/openid", "/a/..b/c.",
				"/a/...", "/files/100%25", "/files/a%3Bb", "/caf%C3%A9/x%20y", "/%E0%A4%85", "/%F0%9F%98%80",
				"/latin1/%C0", "/%C0%41", "" })
		void aPathAlreadyNormalIsReturnedAsItIs(String raw) {
			assertThat(PathNormalizer.normalize(raw)).isSameAs(raw);
		}

	}

	@Nested
	class Refused {

		@ParameterizedTest
		@ValueSource(strings = { "/api/products/%2e%2e/orders/1", "/api/products/%2E%2E/orders",
				"/api/products/.%2e/orders", "/api/a%2eb" })
		void anEncodedDotIsRefused(String raw) {
			assertThatExceptionOfType(UnsafePathException.class).isThrownBy(() -> PathNormalizer.normalize(raw))
				.withMessageContaining("encoded dot");
		}

		@ParameterizedTest
		@ValueSource(strings = { "/api/products/..%2Forders/1", "/api/products/..%2forders", "/files/a%5Cb",
				"/files/a%5cb" })
		void anEncodedSlashOrBackslashIsRefused(String raw) {
			assertThatExceptionOfType(UnsafePathException.class).isThrownBy(() -> PathNormalizer.normalize(raw))
				.withMessageContaining("encoded slash or backslash");
		}

		@ParameterizedTest
		@ValueSource(strings = { "/api/products/%C0%AE%C0%AE/orders", "/api/products/..%c0%afx", "/a%C1%9Cb",
				"/a/%E0%80%AE%E0%80%AE/b", "/a/%F0%80%80%AE" })
		void anOverlongUtf8SpellingIsRefused(String raw) {
			assertThatExceptionOfType(UnsafePathException.class).isThrownBy(() -> PathNormalizer.normalize(raw))
				.withMessageContaining("overlong UTF-8");
		}

		@ParameterizedTest
		@ValueSource(strings = { "/api/products/1%00", "/api/products/1%00/../../orders" })
		void anEncodedNulIsRefused(String raw) {
			assertThatExceptionOfType(UnsafePathException.class).isThrownBy(() -> PathNormalizer.normalize(raw))
				.withMessageContaining("NUL");
		}

		@Test
		void aBackslashIsRefused() {
			assertThatExceptionOfType(UnsafePathException.class)
				.isThrownBy(() -> PathNormalizer.normalize("/api/products/..\\orders"))
				.withMessageContaining("backslash");
		}

		@ParameterizedTest
		@ValueSource(strings = { "/api/cart;jsessionid=abc/items", "/api/products/..;/orders", "/a;" })
		void aPathParameterIsRefused(String raw) {
			assertThatExceptionOfType(UnsafePathException.class).isThrownBy(() -> PathNormalizer.normalize(raw))
				.withMessageContaining("';'");
		}

		@ParameterizedTest
		@ValueSource(strings = { "/../etc/passwd", "/a/../../b", "/a/./../.." })
		void climbingAboveTheRootIsRefused(String raw) {
			assertThatExceptionOfType(UnsafePathException.class).isThrownBy(() -> PathNormalizer.normalize(raw))
				.withMessageContaining("above the root");
		}

		@Test
		void aPathThatDoesNotStartWithASlashIsRefused() {
			assertThatExceptionOfType(UnsafePathException.class).isThrownBy(() -> PathNormalizer.normalize("api/../x"))
				.withMessageContaining("'/'");
		}

	}

}
