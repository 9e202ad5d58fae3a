package dev.strangler.gateway.shadow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import org.springframework.lang.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When two kept answers are the same bytes ({@link KeptResponse#sameBytesAs}): the only
 * mirrors judged without the comparison engine, so it must never say so of answers the
 * engine could find a difference in, or would not compare.
 */
class KeptResponseTests {

	private static final Map<String, List<String>> JSON = headers("Content-Type", "application/json");

	@Test
	void theSameStatusHeadersAndBodyAreTheSameBytes() {
		assertThat(answer(200, JSON, "{\"id\":7}").sameBytesAs(answer(200, JSON, "{\"id\":7}"), 64)).isTrue();
	}

	@Test
	void aDifferentStatusHeaderOrBodyIsNot() {
		KeptResponse answer = answer(200, JSON, "{\"id\":7}");

		assertThat(answer.sameBytesAs(answer(201, JSON, "{\"id\":7}"), 64)).isFalse();
		assertThat(answer
			.sameBytesAs(answer(200, headers("Content-Type", "application/json;charset=UTF-8"), "{\"id\":7}"), 64))
			.as("equal to the engine, perhaps, but not the same bytes")
			.isFalse();
		assertThat(answer.sameBytesAs(answer(200, JSON, "{\"id\":8}"), 64)).isFalse();
		assertThat(answer.sameBytesAs(answer(200, JSON, "{\"id\": 7}"), 64)).as("equal JSON, other bytes").isFalse();
	}

	@Test
	void anEncodedBodyIsLeftToTheEngineWhichComparesItDecoded() {
		Map<String, List<String>> gzip = headers("Content-Encoding", "gzip");

		assertThat(answer(200, gzip, "not really gzip").sameBytesAs(answer(200, gzip, "not really gzip"), 64))
			.isFalse();
	}

	@Test
	void aMissingOrLargeBodyIsLeftToTheEngine() {
		assertThat(answer(204, JSON, null).sameBytesAs(answer(204, JSON, null), 64)).isFalse();
		assertThat(answer(200, JSON, "12345").sameBytesAs(answer(200, JSON, "12345"), 4)).isFalse();
	}

	private static KeptResponse answer(int status, Map<String, List<String>> headers, @Nullable String body) {
		BoundedBytes kept = null;
		if (body != null) {
			kept = new BoundedBytes(1024);
			ByteBuf buffer = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
			kept.append(buffer);
			buffer.release();
		}
		return new KeptResponse(status, headers, kept);
	}

	private static Map<String, List<String>> headers(String name, String value) {
		return KeptResponse.comparedHeaders(List.of(),
				(asked) -> asked.equalsIgnoreCase(name) ? List.of(value) : List.of());
	}

}
