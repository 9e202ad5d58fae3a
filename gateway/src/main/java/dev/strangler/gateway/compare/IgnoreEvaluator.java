package dev.strangler.gateway.compare;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
			Object matches = compile(path).read(document, this.configuration);
			if (matches instanceof Iterable<?> iterable) {
				for (Object match : iterable) {
					ignored.add((match instanceof JsonNode node) ? node.asText() : String.valueOf(match));
				}
			}
		}
		return ignored;
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
