package dev.strangler.gateway.compare;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.strangler.gateway.compare.Difference.Kind;

/**
 * Compares a target's response with legacy's under a route's {@link CompareRules}. The
 * one comparison engine: the gateway's shadow path and the end-to-end parity checks both
 * use it, so a rule means the same everywhere. Thread-safe and free of I/O.
 *
 * <pre class="code">
 * ResponseComparator comparator = new ResponseComparator();
 * Comparison comparison = comparator.compare(CompareRules.from(route.compare()), legacy, target);
 * if (!comparison.isMatch()) {
 * 	comparison.differences().forEach((difference) -&gt; log.info("{}", difference));
 * }
 * </pre>
 *
 * <ul>
 * <li>The status always counts; the headers named by the rules count, by case-insensitive
 * name.</li>
 * <li>Bodies are decoded first ({@code Content-Encoding: gzip | deflate}); identical
 * bytes are equal without being parsed (the common case, and the cheap one); otherwise
 * they are compared by content type: JSON ({@code application/json}, {@code +json})
 * structurally under the rules, other {@code text/*}-like types as text, everything else
 * as bytes.</li>
 * <li>A truncated body (bigger than the capture limit), one that decodes to more than
 * {@code maxDecodedBytes}, or one in a coding the engine does not decode is not compared:
 * the result then covers status and headers, and {@link Comparison#bodyCompared()} is
 * {@code false}.</li>
 * </ul>
 */
public final class ResponseComparator {

	/** Default bound on the differences one comparison reports. */
	public static final int DEFAULT_MAX_DIFFERENCES = 50;

	/** Default bound on a decoded (gunzipped, inflated) body: 16 MiB. */
	public static final int DEFAULT_MAX_DECODED_BYTES = 16 * 1024 * 1024;

	// Header values that carry credentials never leave the comparison, not even as a
	// diff.
	private static final Set<String> SENSITIVE_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
			"set-cookie");

	private static final ObjectMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.defaults()).build())
		// Exact decimals: 12.50 stays 12.50 in reports, and compares equal to 12.5 by
		// value.
		.nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final int maxDifferences;

	private final BodyDecoder decoder;

	private final ObjectMapper mapper;

	private final IgnoreEvaluator ignoreEvaluator;

	/**
	 * A comparator with the default bounds.
	 */
	public ResponseComparator() {
		this(DEFAULT_MAX_DIFFERENCES, DEFAULT_MAX_DECODED_BYTES);
	}

	/**
	 * A comparator with the given bounds.
	 * @param maxDifferences most differences reported per comparison (more are counted in
	 * one {@link Kind#OMITTED} entry), at least 1
	 * @param maxDecodedBytes most bytes a content-encoded body may decode to, at least 1
	 */
	public ResponseComparator(int maxDifferences, int maxDecodedBytes) {
		this(maxDifferences, maxDecodedBytes, MAPPER);
	}

	/**
	 * A comparator reading JSON with the given mapper: a seam for tests that count
	 * parses.
	 */
	ResponseComparator(int maxDifferences, int maxDecodedBytes, ObjectMapper mapper) {
		if (maxDifferences < 1) {
			throw new IllegalArgumentException("maxDifferences must be at least 1 but was " + maxDifferences);
		}
		if (maxDecodedBytes < 1) {
			throw new IllegalArgumentException("maxDecodedBytes must be at least 1 but was " + maxDecodedBytes);
		}
		this.maxDifferences = maxDifferences;
		this.decoder = new BodyDecoder(maxDecodedBytes);
		this.mapper = mapper;
		this.ignoreEvaluator = new IgnoreEvaluator(mapper);
	}

	/**
	 * Compares the target's response with legacy's.
	 * @param rules the route's comparison rules
	 * @param legacy what legacy answered (what the client got)
	 * @param target what the target answered
	 * @return the comparison, never {@code null}
	 */
	public Comparison compare(CompareRules rules, CapturedResponse legacy, CapturedResponse target) {
		Differences differences = new Differences(this.maxDifferences);
		if (legacy.status() != target.status()) {
			differences.add("status", Integer.toString(legacy.status()), Integer.toString(target.status()),
					Kind.STATUS);
		}
		for (String name : rules.headers()) {
			compareHeader(name, legacy, target, differences);
		}
		boolean bodyCompared = !legacy.truncated() && !target.truncated()
				&& compareBodiesSafely(rules, legacy, target, differences);
		return Comparison.of(differences.toList(), bodyCompared);
	}

	private void compareHeader(String name, CapturedResponse legacy, CapturedResponse target, Differences differences) {
		String legacyValue = headerValue(name, legacy);
		String targetValue = headerValue(name, target);
		if (legacyValue == null && targetValue == null) {
			return;
		}
		if (legacyValue != null && targetValue != null
				&& normalize(name, legacyValue).equals(normalize(name, targetValue))) {
			return;
		}
		boolean sensitive = SENSITIVE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
		differences.add("header:" + name, shown(legacyValue, sensitive), shown(targetValue, sensitive), Kind.HEADER);
	}

	private static String headerValue(String name, CapturedResponse response) {
		List<String> values = response.header(name);
		return values.isEmpty() ? null : String.join(", ", values);
	}

	// Whitespace around list and parameter separators is insignificant (RFC 9110 §5.6);
	// media types and their charset are case-insensitive, other values are compared as
	// sent.
	private static String normalize(String name, String value) {
		String compact = value.trim().replaceAll("\\s*([,;=])\\s*", "$1");
		return name.equalsIgnoreCase("Content-Type") ? compact.toLowerCase(Locale.ROOT) : compact;
	}

	private static String shown(String value, boolean sensitive) {
		if (value == null) {
			return Difference.ABSENT;
		}
		return sensitive ? Difference.REDACTED : value;
	}

	// Content comes from the outside: whatever it holds, a comparison is returned rather
	// than an exception thrown into the shadow path.
	private boolean compareBodiesSafely(CompareRules rules, CapturedResponse legacy, CapturedResponse target,
			Differences differences) {
		try {
			return compareBodies(rules, legacy, target, differences);
		}
		catch (RuntimeException | StackOverflowError ex) {
			return false;
		}
	}

	/**
	 * Compares the bodies, adding what differs.
	 * @return whether the bodies could be compared
	 */
	private boolean compareBodies(CompareRules rules, CapturedResponse legacy, CapturedResponse target,
			Differences differences) {
		BodyDecoder.Decoded legacyBody = this.decoder.decode(legacy);
		BodyDecoder.Decoded targetBody = this.decoder.decode(target);
		if (!legacyBody.comparable() || !targetBody.comparable()) {
			return false;
		}
		if (legacyBody.failed() || targetBody.failed()) {
			// A body that claims a coding it does not have is a real difference when only
			// one
			// side does it; when both do, their raw bytes are all there is to compare.
			if (legacyBody.failed() && targetBody.failed()) {
				compareBytes(legacyBody.bytes(), targetBody.bytes(), differences);
			}
			else {
				differences.add("$", legacyBody.describe(), targetBody.describe(), Kind.BODY);
			}
			return true;
		}
		if (Arrays.equals(legacyBody.bytes(), targetBody.bytes())) {
			// Identical decoded bytes are equal under every rule and content type: no
			// parse, no
			// walk. Most mirrored answers of a correct port end here.
			return true;
		}
		String contentType = legacy.firstHeader("Content-Type")
			.or(() -> target.firstHeader("Content-Type"))
			.orElse("")
			.toLowerCase(Locale.ROOT);
		if (isJson(contentType) || isJson(target.firstHeader("Content-Type").orElse("").toLowerCase(Locale.ROOT))) {
			JsonNode legacyJson = parse(legacyBody.bytes());
			JsonNode targetJson = parse(targetBody.bytes());
			if (legacyJson != null && targetJson != null) {
				new JsonDiff(rules, this.ignoreEvaluator.ignored(rules, legacyJson),
						this.ignoreEvaluator.ignored(rules, targetJson), differences)
					.compare(legacyJson, targetJson);
				return true;
			}
		}
		if (isText(contentType) || isJson(contentType)) {
			Charset charset = charset(contentType);
			compareText(new String(legacyBody.bytes(), charset), new String(targetBody.bytes(), charset), differences);
		}
		else {
			compareBytes(legacyBody.bytes(), targetBody.bytes(), differences);
		}
		return true;
	}

	private JsonNode parse(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			return this.mapper.readTree(body);
		}
		catch (Exception ex) {
			// Not JSON after all: the caller falls back to a text comparison.
			return null;
		}
	}

	static boolean isJson(String contentType) {
		String mediaType = mediaType(contentType);
		return mediaType.equals("application/json") || mediaType.endsWith("+json");
	}

	static boolean isText(String contentType) {
		String mediaType = mediaType(contentType);
		return mediaType.startsWith("text/") || mediaType.endsWith("+xml") || mediaType.equals("application/xml")
				|| mediaType.equals("application/javascript") || mediaType.equals("application/x-www-form-urlencoded")
				|| mediaType.equals("application/x-ndjson");
	}

	private static String mediaType(String contentType) {
		int semicolon = contentType.indexOf(';');
		return ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).trim();
	}

	static Charset charset(String contentType) {
		for (String parameter : contentType.split(";")) {
			String[] pair = parameter.trim().split("=", 2);
			if (pair.length == 2 && pair[0].trim().equals("charset")) {
				try {
					return Charset.forName(pair[1].trim().replace("\"", ""));
				}
				catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
					break;
				}
			}
		}
		return StandardCharsets.UTF_8;
	}

	private static void compareText(String legacy, String target, Differences differences) {
		if (legacy.equals(target)) {
			return;
		}
		int at = 0;
		int common = Math.min(legacy.length(), target.length());
		while (at < common && legacy.charAt(at) == target.charAt(at)) {
			at++;
		}
		differences.add("$", excerpt(legacy, at), excerpt(target, at), Kind.BODY);
	}

	// Shows the text from just before the first differing character, so a long page that
	// differs near its end still shows the difference within the value bound.
	private static String excerpt(String text, int at) {
		int from = Math.max(0, at - 32);
		String prefix = (from > 0) ? "…(char " + at + ") " : "";
		return prefix + text.substring(from);
	}

	private static void compareBytes(byte[] legacy, byte[] target, Differences differences) {
		int at = Arrays.mismatch(legacy, target);
		if (at < 0) {
			return;
		}
		differences.add("$", "<" + legacy.length + " bytes, first difference at byte " + at + ">",
				"<" + target.length + " bytes, first difference at byte " + at + ">", Kind.BODY);
	}

	@Override
	public String toString() {
		return "ResponseComparator[maxDifferences=" + this.maxDifferences + ", maxDecodedBytes="
				+ this.decoder.maxDecodedBytes() + "]";
	}

}
