package dev.strangler.gateway.compare;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

/**
 * Evaluates a rule set's {@code ignore} JSONPaths on a parsed document with Jayway
 * JsonPath (so deep scans, wildcards and filters mean what they mean there) and lists the
 * concrete locations they match.
 */
final class IgnoreEvaluator {

	// Compiled paths are reused across comparisons; the rules come from route files, so
	// the set is small, but it is still bounded in case rules are built from input.
	private static final int MAX_CACHED_PATHS = 1024;

	// "$..name" and "$..['name']" (Jayway's normalized form of the same)
	private static final Pattern DEEP_SCAN = Pattern
		.compile("\\$\\.\\.(?:([A-Za-z_][A-Za-z0-9_-]*)|\\['([^'\\\\]*)'\\])");

	private final Configuration configuration;

	private final Map<String, JsonPath> compiled = new ConcurrentHashMap<>();

	IgnoreEvaluator(ObjectMapper mapper) {
		this.configuration = Configuration.builder()
			.jsonProvider(new JacksonJsonNodeJsonProvider(mapper))
			.mappingProvider(new JacksonMappingProvider(mapper))
			.options(Option.AS_PATH_LIST, Option.SUPPRESS_EXCEPTIONS, Option.ALWAYS_RETURN_LIST)
			.build();
	}

	IgnoredPaths ignored(CompareRules rules, JsonNode document) {
		if (rules.ignore().isEmpty()) {
			return IgnoredPaths.NONE;
		}
		IgnoredPaths ignored = IgnoredPaths.root();
		for (String path : rules.ignore()) {
			Matcher deepScan = DEEP_SCAN.matcher(path);
			if (deepScan.matches()) {
				String name = (deepScan.group(1) != null) ? deepScan.group(1) : deepScan.group(2);
				scan(document, name, new ArrayDeque<>(), ignored);
				continue;
			}
			Object matches = compile(path).read(document, this.configuration);
			if (matches instanceof Iterable<?> iterable) {
				for (Object match : iterable) {
					ignored.add((match instanceof JsonNode node) ? node.asText() : String.valueOf(match));
				}
			}
		}
		return ignored;
	}

	// Same result as Jayway's "$..name" (every field of that name, at any depth), in one
	// walk instead of Jayway's general deep scan, which is several times slower.
	private static void scan(JsonNode node, String name, Deque<Object> location, IgnoredPaths ignored) {
		if (node.isObject()) {
			for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
				Map.Entry<String, JsonNode> field = fields.next();
				location.addLast(field.getKey());
				if (field.getKey().equals(name)) {
					ignored.add(location);
				}
				scan(field.getValue(), name, location, ignored);
				location.removeLast();
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				location.addLast(i);
				scan(node.get(i), name, location, ignored);
				location.removeLast();
			}
		}
	}

	private JsonPath compile(String path) {
		JsonPath jsonPath = this.compiled.get(path);
		if (jsonPath == null) {
			if (this.compiled.size() >= MAX_CACHED_PATHS) {
				this.compiled.clear();
			}
			jsonPath = JsonPath.compile(path);
			this.compiled.put(path, jsonPath);
		}
		return jsonPath;
	}

}
