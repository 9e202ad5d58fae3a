package dev.strangler.gateway.compare;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BodyExcerptTests {

	@Test
	void keepsASmallJsonBodyWhole() {
		BodyExcerpt excerpt = BodyExcerpt.of(json("{\"id\":1}".getBytes(StandardCharsets.UTF_8)));
		assertThat(excerpt.text()).isEqualTo("{\"id\":1}");
		assertThat(excerpt.complete()).isTrue();
	}

	@Test
	void keepsAtMostMaxBytesAndNeverHalfACharacter() {
		String body = "é".repeat(BodyExcerpt.MAX_BYTES);
		BodyExcerpt excerpt = BodyExcerpt.of(json(body.getBytes(StandardCharsets.UTF_8)));
		assertThat(excerpt.text().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(BodyExcerpt.MAX_BYTES);
		assertThat(excerpt.text()).isEqualTo("é".repeat(BodyExcerpt.MAX_BYTES / 2));
		assertThat(excerpt.complete()).isFalse();
	}

	@Test
	void decodesAGzippedBody() throws IOException {
		ByteArrayOutputStream zipped = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
			gzip.write("{\"id\":2}".getBytes(StandardCharsets.UTF_8));
		}
		BodyExcerpt excerpt = BodyExcerpt.of(CapturedResponse.of(200,
				Map.of("Content-Type", List.of("application/json"), "Content-Encoding", List.of("gzip")),
				zipped.toByteArray()));
		assertThat(excerpt.text()).isEqualTo("{\"id\":2}");
	}

	@Test
	void describesABodyThatIsNotText() {
		BodyExcerpt excerpt = BodyExcerpt
			.of(CapturedResponse.of(200, Map.of("Content-Type", List.of("image/png")), new byte[] { 1, 2, 3 }));
		assertThat(excerpt.text()).isEqualTo("<3 bytes of image/png>");
		assertThat(excerpt.complete()).isFalse();
	}

	private static CapturedResponse json(byte[] body) {
		return CapturedResponse.of(200, Map.of("Content-Type", List.of("application/json")), body);
	}

}
