package dev.strangler.gateway.route;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertyResolver;
import org.springframework.http.HttpMethod;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Parses one route file into {@link Route routes}, collecting every problem of the file
 * (syntax, unknown keys, bad values, missing keys) rather than stopping at the first.
 * Checks that span routes or files live in {@link RouteConflicts}.
 */
final class RouteFileParser {

	static final String RESERVED_ID = "reload";

	private static final Pattern ID = Pattern.compile("[a-z0-9-]+");

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private static final Set<String> FILE_KEYS = Set.of("routes");

	private static final Set<String> ROUTE_KEYS = Set.of("id", "description", "match", "legacy", "target", "stage",
			"rollout", "shadow", "compare", "cache", "resilience", "progression");

	private static final Set<String> MATCH_KEYS = Set.of("paths", "methods");

	private static final Set<String> ROLLOUT_KEYS = Set.of("percent", "stickyBy");

	private static final Set<String> SHADOW_KEYS = Set.of("percent", "methods", "timeout");

	private static final Set<String> COMPARE_KEYS = Set.of("ignore", "headers", "arrayOrder", "numericTolerance");

	private static final Set<String> CACHE_KEYS = Set.of("ttl", "maxEntries", "maxBytes", "vary");

	private static final Set<String> RESILIENCE_KEYS = Set.of("timeout", "failureRateThreshold", "slowCallThreshold",
			"openStateWait", "retries", "fallbackToLegacy", "legacy");

	private static final Set<String> LEGACY_GUARD_KEYS = Set.of("failureRateThreshold", "slowCallThreshold",
			"openStateWait", "maxConcurrentCalls");

	private static final List<HttpMethod> METHODS = Arrays.asList(HttpMethod.values());

	private final YAMLMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

	private final PropertyResolver placeholders;

	private final URI defaultLegacy;

	RouteFileParser(PropertyResolver placeholders, URI defaultLegacy) {
		this.placeholders = placeholders;
		this.defaultLegacy = defaultLegacy;
	}

	/**
	 * Parses a route file.
	 * @param file the file name used in error messages
	 * @param content the YAML text
	 * @param errors receives every problem found
	 * @return the routes that parsed cleanly
	 */
	List<Route> parse(String file, String content, List<RouteError> errors) {
		NodeReader reader = new NodeReader(file, null, errors, this.placeholders);
		JsonNode root;
		try {
			root = this.yaml.readTree(content);
		}
		catch (JsonProcessingException ex) {
			String where = (ex.getLocation() != null) ? " at line " + ex.getLocation().getLineNr() : "";
			// SnakeYAML messages span lines with a caret drawing; one line reads better.
			String problem = ex.getOriginalMessage().replaceAll("\\s+", " ").trim();
			reader.error("(yaml)", "is not valid YAML" + where + ": " + problem, null);
			return List.of();
		}
		if (root == null || root.isMissingNode() || root.isNull()) {
			return List.of();
		}
		if (!root.isObject()) {
			reader.error("routes", "the file must be a mapping with a 'routes' list", null);
			return List.of();
		}
		reader.rejectUnknownKeys(root, "", FILE_KEYS);
		JsonNode items = root.get("routes");
		if (items == null || items.isNull()) {
			return List.of();
		}
		if (!items.isArray()) {
			reader.error("routes", "must be a list of routes", null);
			return List.of();
		}
		List<Route> routes = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			JsonNode item = items.get(i);
			String label = label(item, i);
			NodeReader routeReader = reader.forRoute(label);
			if (!item.isObject()) {
				routeReader.error("(route)", "must be a mapping", null);
				continue;
			}
			int before = errors.size();
			Route route = parseRoute(file, item, routeReader);
			if (errors.size() == before) {
				routes.add(route);
			}
		}
		return routes;
	}

	/**
	 * The route's id when it is usable in messages, else its position.
	 */
	private static String label(JsonNode item, int index) {
		JsonNode id = item.get("id");
		if (id != null && id.isTextual() && ID.matcher(id.asText()).matches()) {
			return id.asText();
		}
		return "routes[" + index + "]";
	}

	private Route parseRoute(String file, JsonNode node, NodeReader reader) {
		reader.rejectUnknownKeys(node, "", ROUTE_KEYS);
		String id = reader.value(node, "", "id", RouteFileParser::id).orElse(null);
		if (node.get("id") == null || node.get("id").isNull()) {
			reader.error("id", "is required", null);
		}
		String description = reader.value(node, "", "description", String::trim).orElse("");
		Route.Match match = parseMatch(node, reader);
		URI legacy = reader.value(node, "", "legacy", RouteFileParser::url).orElse(this.defaultLegacy);
		URI target = reader.value(node, "", "target", RouteFileParser::url).orElse(null);
		Stage stage = reader.value(node, "", "stage", Stage::parse).orElse(null);
		if (node.get("stage") == null || node.get("stage").isNull()) {
			reader.error("stage", "is required, one of " + Stage.names(), null);
		}
		if (stage != null && stage.needsTarget() && isAbsent(node, "target")) {
			reader.error("target", "is required when stage is " + stage.value(), null);
		}
		return new Route(id, description, file, match, legacy, target, stage, parseRollout(node, reader),
				parseShadow(node, reader), parseCompare(node, reader), parseCache(node, reader),
				parseResilience(node, reader), ProgressionParser.parse(node, reader, !isAbsent(node, "target")));
	}

	private Route.Match parseMatch(JsonNode route, NodeReader reader) {
		JsonNode node = reader.mapping(route, "", "match").orElse(null);
		if (node == null) {
			if (isAbsent(route, "match")) {
				reader.error("match", "is required, with at least one entry in match.paths", null);
			}
			return new Route.Match(List.of(), Set.of());
		}
		reader.rejectUnknownKeys(node, "match", MATCH_KEYS);
		List<PathPattern> paths = reader.list(node, "match", "paths", RouteFileParser::pathPattern).orElse(List.of());
		if (isAbsent(node, "paths") || (node.get("paths").isArray() && node.get("paths").isEmpty())) {
			reader.error("match.paths", "needs at least one path pattern", null);
		}
		Set<HttpMethod> methods = new LinkedHashSet<>(
				reader.list(node, "match", "methods", RouteFileParser::method).orElse(List.of()));
		return new Route.Match(paths, methods);
	}

	private Route.Rollout parseRollout(JsonNode route, NodeReader reader) {
		return reader.mapping(route, "", "rollout").map((node) -> {
			reader.rejectUnknownKeys(node, "rollout", ROLLOUT_KEYS);
			Route.Rollout defaults = Route.Rollout.DEFAULT;
			return new Route.Rollout(
					reader.value(node, "rollout", "percent", Percent::parse).orElse(defaults.percent()),
					reader.value(node, "rollout", "stickyBy", StickyKey::parse).orElse(defaults.stickyBy()));
		}).orElse(Route.Rollout.DEFAULT);
	}

	private Route.Shadow parseShadow(JsonNode route, NodeReader reader) {
		return reader.mapping(route, "", "shadow").map((node) -> {
			reader.rejectUnknownKeys(node, "shadow", SHADOW_KEYS);
			Route.Shadow defaults = Route.Shadow.DEFAULT;
			return new Route.Shadow(reader.value(node, "shadow", "percent", Percent::parse).orElse(defaults.percent()),
					reader.list(node, "shadow", "methods", RouteFileParser::method)
						.<Set<HttpMethod>>map(LinkedHashSet::new)
						.orElse(defaults.methods()),
					reader.value(node, "shadow", "timeout", RouteFileParser::duration).orElse(defaults.timeout()));
		}).orElse(Route.Shadow.DEFAULT);
	}

	private Route.Compare parseCompare(JsonNode route, NodeReader reader) {
		return reader.mapping(route, "", "compare").map((node) -> {
			reader.rejectUnknownKeys(node, "compare", COMPARE_KEYS);
			Route.Compare defaults = Route.Compare.DEFAULT;
			return new Route.Compare(
					reader.list(node, "compare", "ignore", RouteFileParser::jsonPath).orElse(defaults.ignore()),
					reader.list(node, "compare", "headers", RouteFileParser::headerName).orElse(defaults.headers()),
					reader.value(node, "compare", "arrayOrder", RouteFileParser::arrayOrder)
						.orElse(defaults.arrayOrder()),
					reader.value(node, "compare", "numericTolerance", RouteFileParser::tolerance)
						.orElse(defaults.numericTolerance()));
		}).orElse(Route.Compare.DEFAULT);
	}

	private Route.Cache parseCache(JsonNode route, NodeReader reader) {
		return reader.mapping(route, "", "cache").map((node) -> {
			reader.rejectUnknownKeys(node, "cache", CACHE_KEYS);
			Route.Cache defaults = Route.Cache.DEFAULT;
			return new Route.Cache(reader.value(node, "cache", "ttl", RouteFileParser::duration).orElse(defaults.ttl()),
					reader.value(node, "cache", "maxEntries", (text) -> integer(text, 1, Integer.MAX_VALUE))
						.map(Integer::longValue)
						.orElse(defaults.maxEntries()),
					reader.value(node, "cache", "maxBytes", RouteFileParser::size).orElse(defaults.maxBytes()),
					reader.list(node, "cache", "vary", RouteFileParser::headerName).orElse(defaults.vary()));
		}).orElse(null);
	}

	private Route.Resilience parseResilience(JsonNode route, NodeReader reader) {
		return reader.mapping(route, "", "resilience").map((node) -> {
			reader.rejectUnknownKeys(node, "resilience", RESILIENCE_KEYS);
			Route.Resilience defaults = Route.Resilience.DEFAULT;
			return new Route.Resilience(
					reader.value(node, "resilience", "timeout", RouteFileParser::duration).orElse(defaults.timeout()),
					reader.value(node, "resilience", "failureRateThreshold", (text) -> integer(text, 1, 100))
						.orElse(defaults.failureRateThreshold()),
					reader.value(node, "resilience", "slowCallThreshold", RouteFileParser::duration)
						.orElse(defaults.slowCallThreshold()),
					reader.value(node, "resilience", "openStateWait", RouteFileParser::duration)
						.orElse(defaults.openStateWait()),
					reader.value(node, "resilience", "retries", (text) -> integer(text, 0, 10))
						.orElse(defaults.retries()),
					reader.value(node, "resilience", "fallbackToLegacy", RouteFileParser::bool)
						.orElse(defaults.fallbackToLegacy()),
					parseLegacyGuard(node, reader));
		}).orElse(Route.Resilience.DEFAULT);
	}

	private Route.LegacyGuard parseLegacyGuard(JsonNode resilience, NodeReader reader) {
		return reader.mapping(resilience, "resilience", "legacy").map((node) -> {
			String path = "resilience.legacy";
			reader.rejectUnknownKeys(node, path, LEGACY_GUARD_KEYS);
			Route.LegacyGuard defaults = Route.LegacyGuard.DEFAULT;
			return new Route.LegacyGuard(
					reader.value(node, path, "failureRateThreshold", (text) -> integer(text, 1, 100))
						.orElse(defaults.failureRateThreshold()),
					reader.value(node, path, "slowCallThreshold", RouteFileParser::duration)
						.orElse(defaults.slowCallThreshold()),
					reader.value(node, path, "openStateWait", RouteFileParser::duration)
						.orElse(defaults.openStateWait()),
					reader.value(node, path, "maxConcurrentCalls", (text) -> integer(text, 1, 100_000))
						.orElse(defaults.maxConcurrentCalls()));
		}).orElse(null);
	}

	static boolean isAbsent(JsonNode parent, String key) {
		JsonNode node = parent.get(key);
		return node == null || node.isNull();
	}

	// Value parsers: each throws IllegalArgumentException with the message users see.

	private static String id(String text) {
		if (!ID.matcher(text).matches()) {
			throw new IllegalArgumentException("must match [a-z0-9-]+");
		}
		if (RESERVED_ID.equals(text)) {
			throw new IllegalArgumentException("'reload' is reserved for the admin API");
		}
		if (Route.UNROUTED_ID.equals(text)) {
			// Its requests would be counted and logged as those no route claims.
			throw new IllegalArgumentException(
					"'unrouted' is reserved: it names requests no route claims in metrics and logs");
		}
		return text;
	}

	static URI url(String text) {
		URI uri;
		try {
			uri = new URI(text.trim());
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("must be an absolute http or https URL");
		}
		String scheme = uri.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| uri.getHost() == null) {
			throw new IllegalArgumentException("must be an absolute http or https URL");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException("must not have user info, a query or a fragment");
		}
		return uri;
	}

	private static PathPattern pathPattern(String text) {
		if (!text.startsWith("/")) {
			throw new IllegalArgumentException("must start with /");
		}
		try {
			return PathPatternParser.defaultInstance.parse(text);
		}
		catch (PatternParseException ex) {
			throw new IllegalArgumentException("is not a valid path pattern: " + ex.getMessage());
		}
	}

	private static HttpMethod method(String text) {
		String name = text.trim().toUpperCase(Locale.ROOT);
		return METHODS.stream()
			.filter((method) -> method.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"must be one of " + METHODS.stream().map(HttpMethod::name).collect(Collectors.joining(", "))));
	}

	static Duration duration(String text) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("must be a duration such as 250ms, 2s or 1m");
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("must be positive");
		}
		return duration;
	}

	private static DataSize size(String text) {
		DataSize size;
		try {
			size = DataSize.parse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("must be a size such as 512KB or 64MB");
		}
		if (size.toBytes() <= 0) {
			throw new IllegalArgumentException("must be positive");
		}
		return size;
	}

	static int integer(String text, int min, int max) {
		int value;
		try {
			value = Integer.parseInt(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("must be a whole number between " + min + " and " + max);
		}
		if (value < min || value > max) {
			throw new IllegalArgumentException("must be between " + min + " and " + max);
		}
		return value;
	}

	static boolean bool(String text) {
		return switch (text.trim()) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new IllegalArgumentException("must be true or false");
		};
	}

	private static String headerName(String text) {
		if (!TOKEN.matcher(text).matches()) {
			throw new IllegalArgumentException("must be a header name");
		}
		return text;
	}

	private static JsonPath jsonPath(String text) {
		try {
			return JsonPath.compile(text);
		}
		catch (InvalidPathException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("must be a JSONPath such as $.generatedAt or $..etag");
		}
	}

	private static Route.ArrayOrder arrayOrder(String text) {
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "strict" -> Route.ArrayOrder.STRICT;
			case "ignore" -> Route.ArrayOrder.IGNORE;
			default -> throw new IllegalArgumentException("must be strict or ignore");
		};
	}

	private static BigDecimal tolerance(String text) {
		try {
			BigDecimal value = new BigDecimal(text.trim());
			if (value.signum() < 0) {
				throw new IllegalArgumentException("must not be negative");
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("must be a number");
		}
	}

}
