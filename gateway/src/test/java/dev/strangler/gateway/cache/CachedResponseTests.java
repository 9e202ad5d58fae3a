package dev.strangler.gateway.cache;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static dev.strangler.gateway.cache.CachePolicyTests.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CachedResponseTests {

	private static final Instant STORED = Instant.parse("2025-01-01T10:00:00Z");

	private static CachedResponse response(HttpHeaders headers, byte[] body) {
		return CachedResponse.of(200, headers, body, STORED, Duration.ZERO, Map.of());
	}

	@Test
	void connectionFieldsAndGatewayHeadersAreNotStored() {
		CachedResponse response = response(headers("Content-Type", "application/json", "Transfer-Encoding", "chunked",
				"Connection", "keep-alive", "Content-Length", "2", "Age", "4", "X-Strangler-Route", "catalog",
				"Cache-Status", "origin; hit", "ETag", "\"v1\""), new byte[2]);

		assertThat(response.headers().toSingleValueMap()).containsOnlyKeys("Content-Type", "ETag");
	}

	@Test
	void theBodyIsCopiedAndHandedOutReadOnly() {
		byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
		CachedResponse response = response(headers(), body);
		body[0] = 'j';

		ByteBuffer view = response.body();
		assertThat(StandardCharsets.UTF_8.decode(view).toString()).isEqualTo("hello");
		assertThatExceptionOfType(ReadOnlyBufferException.class).isThrownBy(() -> response.body().put((byte) 1));
		assertThat(response.bodyLength()).isEqualTo(5);
	}

	@Test
	void ageIsTheArrivalAgePlusTheTimeHeld() {
		CachedResponse response = CachedResponse.of(200, headers(), new byte[0], STORED, Duration.ofSeconds(3),
				Map.of());

		assertThat(response.ageSeconds(STORED)).isEqualTo(3);
		assertThat(response.ageSeconds(STORED.plusMillis(9_999))).isEqualTo(12);
		assertThat(response.ageSeconds(STORED.minusSeconds(5))).isEqualTo(3);
	}

	@Test
	void itMatchesOnlyRequestsWithTheSameSelectingHeaders() {
		CachedResponse response = CachedResponse.of(200, headers(), new byte[0], STORED, Duration.ZERO,
				Map.of("accept", List.of("text/html")));

		assertThat(response.matches(headers("Accept", "text/html", "X-Other", "1"))).isTrue();
		assertThat(response.matches(headers("Accept", "application/json"))).isFalse();
		assertThat(response.matches(headers())).isFalse();
	}

	@Test
	void itWeighsItsBodyHeadersAndAFixedOverhead() {
		CachedResponse response = response(headers("ETag", "v1"), new byte[1000]);

		assertThat(response.weight()).isEqualTo(CachedResponse.ENTRY_OVERHEAD_BYTES + 1000 + "ETag".length() + 2 + 4);
	}

	@Test
	void rejectsAnImpossibleStatus() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CachedResponse.of(42, headers(), new byte[0], STORED, Duration.ZERO, Map.of()))
			.withMessage("status must be 100..599 but was 42");
	}

}
