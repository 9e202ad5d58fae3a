package dev.strangler.gateway.state.redis;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strangler.gateway.compare.BodyExcerpt;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.evidence.InstanceDiff;

/**
 * One entry of a route's shared list of mismatches: the mismatch as JSON, with the
 * instance that recorded it. Written field by field rather than by data binding, so the
 * stored form does not follow every change of the Java records.
 */
final class DiffJson {

	private static final ObjectMapper MAPPER = new ObjectMapper();

	private DiffJson() {
	}

	static String write(String instance, DiffRecord record) {
		ObjectNode node = MAPPER.createObjectNode();
		node.put("instance", instance);
		node.put("time", record.time().toString());
		node.put("method", record.method());
		node.put("pathWithQuery", record.pathWithQuery());
		node.put("legacyStatus", record.legacyStatus());
		node.put("targetStatus", record.targetStatus());
		node.put("traceId", record.traceId());
		ArrayNode differences = node.putArray("differences");
		for (Difference difference : record.differences()) {
			differences.addObject()
				.put("path", difference.path())
				.put("legacyValue", difference.legacyValue())
				.put("targetValue", difference.targetValue())
				.put("kind", difference.kind().name());
		}
		body(node, "legacyBody", record.legacyBody());
		body(node, "targetBody", record.targetBody());
		return node.toString();
	}

	/**
	 * Reads an entry.
	 * @throws IllegalArgumentException when it is not one (written by another version)
	 */
	static InstanceDiff read(String json) {
		try {
			JsonNode node = MAPPER.readTree(json);
			List<Difference> differences = new ArrayList<>();
			for (JsonNode difference : node.path("differences")) {
				differences.add(new Difference(difference.path("path").asText(),
						difference.path("legacyValue").asText(), difference.path("targetValue").asText(),
						Difference.Kind.valueOf(difference.path("kind").asText())));
			}
			DiffRecord record = new DiffRecord(Instant.parse(node.path("time").asText()), node.path("method").asText(),
					node.path("pathWithQuery").asText(), node.path("legacyStatus").asInt(),
					node.path("targetStatus").asInt(), differences,
					node.path("traceId").isTextual() ? node.path("traceId").asText() : null,
					body(node.path("legacyBody")), body(node.path("targetBody")));
			return new InstanceDiff(node.path("instance").asText(), record);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException("not a mismatch entry: " + ex.getMessage(), ex);
		}
	}

	private static void body(ObjectNode node, String name, BodyExcerpt body) {
		if (body != null) {
			node.putObject(name).put("text", body.text()).put("complete", body.complete());
		}
	}

	private static BodyExcerpt body(JsonNode node) {
		return node.isObject() ? new BodyExcerpt(node.path("text").asText(), node.path("complete").asBoolean()) : null;
	}

}
