package dev.strangler.e2e.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts that two services answered a request alike: same status, same content type,
 * same JSON, except {@code generatedAt}, the monolith's per-response timestamp.
 */
final class JsonParity {

	private static final ObjectMapper JSON = new ObjectMapper();

	private JsonParity() {
	}

	static void assertSameAnswer(String request, HttpResponse<byte[]> actual, HttpResponse<byte[]> expected) {
		assertThat(actual.statusCode()).as("status of %s", request).isEqualTo(expected.statusCode());
		assertThat(actual.headers().firstValue("Content-Type")).as("Content-Type of %s", request)
			.isEqualTo(expected.headers().firstValue("Content-Type"));
		assertThat(comparable(actual.body())).as("body of %s", request).isEqualTo(comparable(expected.body()));
	}

	private static JsonNode comparable(byte[] body) {
		try {
			return withoutTimestamps(JSON.readTree(body));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("not JSON: " + new String(body, StandardCharsets.UTF_8), ex);
		}
	}

	private static JsonNode withoutTimestamps(JsonNode node) {
		if (node instanceof ObjectNode object) {
			object.remove("generatedAt");
		}
		// elements(): an object's values or an array's items.
		node.elements().forEachRemaining(JsonParity::withoutTimestamps);
		return node;
	}

}
