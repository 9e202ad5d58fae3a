package dev.strangler.gateway.compare;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.strangler.gateway.compare.Comparison.Result;
import dev.strangler.gateway.compare.Difference.Kind;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Route.ArrayOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ResponseComparatorTests {

	private static final String CATALOG = """
			{"generatedAt":"2024-05-01T10:00:00Z","page":{"number":0,"size":2},
			 "content":[{"id":1,"name":"Desk","price":12.50,"tags":["wood","office"],"etag":"a1"},
			            {"id":2,"name":"Lamp","price":30,"tags":["light"],"etag":"b2"}]}""";

	private final ResponseComparator comparator = new ResponseComparator();

	private static CapturedResponse json(String body) {
		return json(200, body);
	}

	private static CapturedResponse json(int status, String body) {
		return CapturedResponse.of(status, Map.of("Content-Type", List.of("application/json")),
				body.getBytes(StandardCharsets.UTF_8));
	}

	private static CompareRules rules(List<String> ignore, ArrayOrder order, String tolerance) {
		return new CompareRules(ignore, List.of(), order, new BigDecimal(tolerance));
	}

	private Comparison compare(String legacy, String target) {
		return compare(CompareRules.DEFAULT, legacy, target);
	}

	private Comparison compare(CompareRules rules, String legacy, String target) {
		return this.comparator.compare(rules, json(legacy), json(target));
	}

	@Nested
	class Status {

		@Test
		void sameStatusAndEqualBodiesMatch() {
			Comparison comparison = compare(CATALOG, CATALOG);

			assertThat(comparison.result()).isEqualTo(Result.MATCH);
			assertThat(comparison.differences()).isEmpty();
			assertThat(comparison.bodyCompared()).isTrue();
		}

		@Test
		void aDifferentStatusIsAMismatchEvenWithEqualBodies() {
			Comparison comparison = ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT,
					json(200, "{}"), json(404, "{}"));

			assertThat(comparison.differences()).containsExactly(new Difference("status", "200", "404", Kind.STATUS));
		}

		@Test
		void emptyBodiesWithEqualStatusesMatch() {
			Comparison comparison = ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT,
					CapturedResponse.of(204, Map.of(), new byte[0]), CapturedResponse.of(204, Map.of(), null));

			assertThat(comparison.isMatch()).isTrue();
		}

	}

	@Nested
	class Headers {

		private Comparison compareHeaders(List<String> names, Map<String, List<String>> legacy,
				Map<String, List<String>> target) {
			CompareRules rules = new CompareRules(List.of(), names, ArrayOrder.STRICT, BigDecimal.ZERO);
			return ResponseComparatorTests.this.comparator.compare(rules, CapturedResponse.of(200, legacy, null),
					CapturedResponse.of(200, target, null));
		}

		@Test
		void listedHeadersAreFoundWhateverTheCaseOfTheirNames() {
			Comparison comparison = compareHeaders(List.of("content-type", "X-Version"),
					Map.of("Content-Type", List.of("text/plain"), "x-version", List.of("1")),
					Map.of("CONTENT-TYPE", List.of("text/plain"), "X-VERSION", List.of("2")));

			assertThat(comparison.differences())
				.containsExactly(new Difference("header:X-Version", "1", "2", Kind.HEADER));
		}

		@Test
		void headersNotListedNeverCount() {
			Comparison comparison = compareHeaders(List.of(), Map.of("X-Version", List.of("1")),
					Map.of("X-Version", List.of("2")));

			assertThat(comparison.isMatch()).isTrue();
		}

		@Test
		void aListedHeaderMissingOnOneSideIsShownAsAbsent() {
			Comparison comparison = compareHeaders(List.of("ETag"), Map.of("ETag", List.of("\"v1\"")), Map.of());

			assertThat(comparison.differences())
				.containsExactly(new Difference("header:ETag", "\"v1\"", "<absent>", Kind.HEADER));
		}

		@Test
		void contentTypeParametersDifferingOnlyInCaseAndSpacingMatch() {
			Comparison comparison = compareHeaders(List.of("Content-Type"),
					Map.of("Content-Type", List.of("application/json;charset=UTF-8")),
					Map.of("Content-Type", List.of("application/json; charset=utf-8")));

			assertThat(comparison.isMatch()).isTrue();
		}

		@Test
		void credentialHeadersAreComparedButTheirValuesNeverShown() {
			Comparison comparison = compareHeaders(List.of("Set-Cookie", "Authorization"),
					Map.of("Set-Cookie", List.of("SESSION=secret-1"), "Authorization", List.of("Bearer abc")),
					Map.of("Set-Cookie", List.of("SESSION=secret-2")));

			assertThat(comparison.differences()).containsExactly(
					new Difference("header:Set-Cookie", "<redacted>", "<redacted>", Kind.HEADER),
					new Difference("header:Authorization", "<redacted>", "<absent>", Kind.HEADER));
			assertThat(comparison.toString()).doesNotContain("secret").doesNotContain("Bearer");
		}

	}

	@Nested
	class JsonBodies {

		@Test
		void fieldOrderAndWhitespaceDoNotCount() {
			assertThat(compare("{\"a\":1,\"b\":[true,null]}", "{ \"b\" : [ true , null ] , \"a\" : 1 }").isMatch())
				.isTrue();
		}

		@Test
		void aPriceAsStringInsteadOfNumberIsATypeChangeAtItsPath() {
			Comparison comparison = compare(CATALOG, CATALOG.replace("\"price\":12.50", "\"price\":\"12.50\""));

			assertThat(comparison.differences())
				.containsExactly(new Difference("$.content[0].price", "12.50", "\"12.50\"", Kind.TYPE));
		}

		@Test
		void aDroppedFieldIsMissingWithLegacysValue() {
			Comparison comparison = compare(CATALOG, CATALOG.replace("\"name\":\"Lamp\",", ""));

			assertThat(comparison.differences())
				.containsExactly(new Difference("$.content[1].name", "\"Lamp\"", "<absent>", Kind.MISSING));
		}

		@Test
		void anAddedFieldIsExtraWithTheTargetsValue() {
			Comparison comparison = compare("{\"a\":1}", "{\"a\":1,\"b\":{\"c\":2}}");

			assertThat(comparison.differences())
				.containsExactly(new Difference("$.b", "<absent>", "{\"c\":2}", Kind.EXTRA));
		}

		@Test
		void aChangedValueShowsBothValuesAsJson() {
			Comparison comparison = compare(CATALOG, CATALOG.replace("\"Desk\"", "\"Table\""));

			assertThat(comparison.differences())
				.containsExactly(new Difference("$.content[0].name", "\"Desk\"", "\"Table\"", Kind.CHANGED));
		}

		@Test
		void numbersCompareByValueSo12Point50Equals12Point5() {
			assertThat(compare("{\"p\":12.50,\"q\":1e2,\"r\":7}", "{\"p\":12.5,\"q\":100,\"r\":7.0}").isMatch())
				.isTrue();
		}

		@Test
		void nullAndAMissingFieldDiffer() {
			Comparison comparison = compare("{\"a\":null}", "{}");

			assertThat(comparison.differences())
				.containsExactly(new Difference("$.a", "null", "<absent>", Kind.MISSING));
		}

		@Test
		void nullAndAValueAreATypeChange() {
			assertThat(compare("{\"a\":null}", "{\"a\":0}").differences())
				.containsExactly(new Difference("$.a", "null", "0", Kind.TYPE));
		}

		@Test
		void aShorterArrayReportsItsLengthAndTheMissingElement() {
			Comparison comparison = compare("{\"tags\":[\"a\",\"b\",\"c\"]}", "{\"tags\":[\"a\",\"b\"]}");

			assertThat(comparison.differences()).containsExactly(new Difference("$.tags", "3", "2", Kind.ARRAY_LENGTH),
					new Difference("$.tags[2]", "\"c\"", "<absent>", Kind.MISSING));
		}

		@Test
		void namesThatAreNotIdentifiersUseBracketNotation() {
			Comparison comparison = compare("{\"odd key\":{\"it's\":1}}", "{\"odd key\":{\"it's\":2}}");

			assertThat(comparison.differences()).extracting(Difference::path).containsExactly("$['odd key']['it\\'s']");
		}

		@Test
		void aRootTypeChangeIsReportedAtTheRoot() {
			assertThat(compare("[1]", "{\"a\":1}").differences()).extracting(Difference::path, Difference::kind)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("$", Kind.TYPE));
		}

		@Test
		void plusJsonMediaTypesAreComparedStructurally() {
			CapturedResponse legacy = CapturedResponse.of(200,
					Map.of("Content-Type", List.of("application/problem+json")), "{\"a\":1,\"b\":2}".getBytes());
			CapturedResponse target = CapturedResponse.of(200,
					Map.of("Content-Type", List.of("application/problem+json")), "{\"b\":2,\"a\":1}".getBytes());

			assertThat(ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT, legacy, target).isMatch())
				.isTrue();
		}

	}

	@Nested
	class ArrayOrderRules {

		private final String reordered = CATALOG.replace("{\"id\":1,", "{\"id\":X,")
			.replace("{\"id\":2,", "{\"id\":1,")
			.replace("{\"id\":X,", "{\"id\":2,")
			.replace("\"name\":\"Desk\",\"price\":12.50,\"tags\":[\"wood\",\"office\"],\"etag\":\"a1\"", "TMP")
			.replace("\"name\":\"Lamp\",\"price\":30,\"tags\":[\"light\"],\"etag\":\"b2\"",
					"\"name\":\"Desk\",\"price\":12.50,\"tags\":[\"wood\",\"office\"],\"etag\":\"a1\"")
			.replace("TMP", "\"name\":\"Lamp\",\"price\":30,\"tags\":[\"light\"],\"etag\":\"b2\"");

		@Test
		void theFixtureSwapsTheTwoProducts() {
			assertThat((Object) JsonPath.read(this.reordered, "$.content[0].name")).isEqualTo("Lamp");
			assertThat((Object) JsonPath.read(this.reordered, "$.content[1].name")).isEqualTo("Desk");
		}

		@Test
		void aReorderedArrayIsAMismatchUnderStrictOrder() {
			Comparison comparison = compare(rules(List.of(), ArrayOrder.STRICT, "0"), CATALOG, this.reordered);

			assertThat(comparison.isMatch()).isFalse();
			assertThat(comparison.differences()).contains(new Difference("$.content[0].id", "1", "2", Kind.CHANGED));
		}

		@Test
		void aReorderedArrayMatchesWhenOrderIsIgnored() {
			Comparison comparison = compare(rules(List.of(), ArrayOrder.IGNORE, "0"), CATALOG, this.reordered);

			assertThat(comparison.isMatch()).isTrue();
		}

		@Test
		void arraysAreMultisetsSoDuplicatesCount() {
			Comparison comparison = compare(rules(List.of(), ArrayOrder.IGNORE, "0"), "[1,1,2]", "[2,1,2]");

			assertThat(comparison.differences()).containsExactly(new Difference("$[1]", "1", "2", Kind.CHANGED));
		}

		@Test
		void aChangedElementInAnUnorderedArrayShowsItsChangedField() {
			String target = "[{\"id\":2,\"v\":\"b\"},{\"id\":1,\"v\":\"CHANGED\"},{\"id\":3,\"v\":\"c\"}]";

			Comparison comparison = compare(rules(List.of(), ArrayOrder.IGNORE, "0"),
					"[{\"id\":1,\"v\":\"a\"},{\"id\":2,\"v\":\"b\"},{\"id\":3,\"v\":\"c\"}]", target);

			assertThat(comparison.differences())
				.containsExactly(new Difference("$[0].v", "\"a\"", "\"CHANGED\"", Kind.CHANGED));
		}

		@Test
		void anUnorderedArrayMissingAnElementReportsTheLengthAndTheElement() {
			Comparison comparison = compare(rules(List.of(), ArrayOrder.IGNORE, "0"), "[3,1,2]", "[2,1]");

			assertThat(comparison.differences()).containsExactly(new Difference("$", "3", "2", Kind.ARRAY_LENGTH),
					new Difference("$[0]", "3", "<absent>", Kind.MISSING));
		}

		@Test
		void nestedArraysAreUnorderedToo() {
			Comparison comparison = compare(rules(List.of(), ArrayOrder.IGNORE, "0"), "[[1,2],[3,4]]", "[[4,3],[2,1]]");

			assertThat(comparison.isMatch()).isTrue();
		}

		@Test
		void unorderedMatchingHonoursTheTolerance() {
			Comparison comparison = compare(rules(List.of(), ArrayOrder.IGNORE, "0.01"), "[1.00,2.00]",
					"[2.005,0.999]");

			assertThat(comparison.isMatch()).isTrue();
		}

	}

	@Nested
	class IgnoreRules {

		@Test
		void anIgnoredPathRemovesExactlyThatDifference() {
			String target = CATALOG.replace("2024-05-01T10:00:00Z", "2024-05-01T10:00:01Z")
				.replace("\"Desk\"", "\"Table\"");

			Comparison comparison = compare(rules(List.of("$.generatedAt"), ArrayOrder.STRICT, "0"), CATALOG, target);

			assertThat(comparison.differences())
				.containsExactly(new Difference("$.content[0].name", "\"Desk\"", "\"Table\"", Kind.CHANGED));
		}

		@Test
		void aDeepScanIgnoresTheFieldAtEveryDepth() {
			String target = CATALOG.replace("\"a1\"", "\"zz\"").replace("\"b2\"", "\"yy\"");

			assertThat(compare(CATALOG, target).differences()).hasSize(2);
			assertThat(compare(rules(List.of("$..etag"), ArrayOrder.STRICT, "0"), CATALOG, target).isMatch()).isTrue();
		}

		@Test
		void aDeepScanInJsonPathsNormalizedFormMeansTheSame() {
			String target = CATALOG.replace("\"a1\"", "\"zz\"").replace("\"Desk\"", "\"Table\"");
			CompareRules rules = CompareRules.from(new Route.Compare(List.of(JsonPath.compile("$..etag")), List.of(),
					ArrayOrder.STRICT, BigDecimal.ZERO));

			assertThat(rules.ignore()).containsExactly("$..['etag']");
			assertThat(compare(rules, CATALOG, target).differences()).extracting(Difference::path)
				.containsExactly("$.content[0].name");
		}

		@Test
		void aDeepScanOfANestedPathIgnoresOnlyThatNesting() {
			String legacy = "{\"a\":{\"stock\":{\"qty\":1}},\"b\":[{\"stock\":{\"qty\":2}}],\"qty\":3}";
			String target = "{\"a\":{\"stock\":{\"qty\":9}},\"b\":[{\"stock\":{\"qty\":9}}],\"qty\":9}";

			Comparison comparison = compare(rules(List.of("$..stock.qty"), ArrayOrder.STRICT, "0"), legacy, target);

			assertThat(comparison.differences()).extracting(Difference::path).containsExactly("$.qty");
		}

		@Test
		void aWildcardIgnoresThatFieldOfEveryElementOnly() {
			String target = CATALOG.replace("\"price\":12.50", "\"price\":13").replace("\"id\":2", "\"id\":22");

			Comparison comparison = compare(rules(List.of("$.content[*].price"), ArrayOrder.STRICT, "0"), CATALOG,
					target);

			assertThat(comparison.differences())
				.containsExactly(new Difference("$.content[1].id", "2", "22", Kind.CHANGED));
		}

		@Test
		void anIgnoredFieldPresentOnOnlyOneSideDoesNotCount() {
			assertThat(compare(rules(List.of("$.generatedAt"), ArrayOrder.STRICT, "0"), CATALOG,
					CATALOG.replace("\"generatedAt\":\"2024-05-01T10:00:00Z\",", ""))
				.isMatch()).isTrue();
			assertThat(
					compare(rules(List.of("$.traceId"), ArrayOrder.STRICT, "0"), "{}", "{\"traceId\":\"x\"}").isMatch())
				.isTrue();
		}

		@Test
		void ignoredFieldsDoNotStopUnorderedElementsFromMatching() {
			String reordered = "{\"content\":[{\"id\":2,\"etag\":\"q\"},{\"id\":1,\"etag\":\"r\"}]}";

			Comparison comparison = compare(rules(List.of("$..etag"), ArrayOrder.IGNORE, "0"),
					"{\"content\":[{\"id\":1,\"etag\":\"a\"},{\"id\":2,\"etag\":\"b\"}]}", reordered);

			assertThat(comparison.isMatch()).isTrue();
		}

		@Test
		void aFilterExpressionIgnoresTheElementsItSelects() {
			Comparison comparison = compare(rules(List.of("$.content[?(@.id == 2)]"), ArrayOrder.STRICT, "0"), CATALOG,
					CATALOG.replace("\"Lamp\"", "\"Bulb\""));

			assertThat(comparison.isMatch()).isTrue();
		}

		@Test
		void anIgnoreRuleThatMatchesNothingChangesNothing() {
			Comparison comparison = compare(rules(List.of("$.nowhere", "$..nothing"), ArrayOrder.STRICT, "0"), CATALOG,
					CATALOG.replace("\"Desk\"", "\"Table\""));

			assertThat(comparison.differences()).hasSize(1);
		}

	}

	@Nested
	class NumericTolerance {

		@Test
		void numbersWithinTheToleranceMatch() {
			assertThat(compare(rules(List.of(), ArrayOrder.STRICT, "0.01"), "{\"p\":12.50}", "{\"p\":12.51}").isMatch())
				.isTrue();
		}

		@Test
		void numbersBeyondTheToleranceDiffer() {
			assertThat(compare(rules(List.of(), ArrayOrder.STRICT, "0.01"), "{\"p\":12.50}", "{\"p\":12.52}")
				.differences()).containsExactly(new Difference("$.p", "12.50", "12.52", Kind.CHANGED));
		}

		@Test
		void withoutAToleranceTheSmallestDifferenceCounts() {
			assertThat(compare("{\"p\":0.1000000000000000000001}", "{\"p\":0.1}").isMatch()).isFalse();
		}

		@Test
		void aToleranceNeverMakesANumberEqualToAString() {
			assertThat(compare(rules(List.of(), ArrayOrder.STRICT, "1"), "{\"p\":12.50}", "{\"p\":\"12.50\"}")
				.differences()).extracting(Difference::kind).containsExactly(Kind.TYPE);
		}

		@Test
		void numbersOfWildlyDifferentScalesAreComparedWithoutExpandingThem() {
			assertThat(compare(rules(List.of(), ArrayOrder.STRICT, "0.01"), "{\"p\":1e999999}", "{\"p\":1e-999999}")
				.differences()).containsExactly(new Difference("$.p", "1E+999999", "1E-999999", Kind.CHANGED));
		}

		@Test
		void largeIntegersCompareExactly() {
			assertThat(compare("{\"id\":9223372036854775808}", "{\"id\":9223372036854775809}").isMatch()).isFalse();
			assertThat(compare("{\"id\":9223372036854775807}", "{\"id\":9223372036854775807}").isMatch()).isTrue();
		}

	}

	@Nested
	class ContentEncoding {

		private CapturedResponse encoded(String coding, byte[] body) {
			return CapturedResponse.of(200,
					Map.of("Content-Type", List.of("application/json"), "Content-Encoding", List.of(coding)), body);
		}

		@Test
		void aGzippedBodyIsComparedDecoded() throws IOException {
			Comparison comparison = ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT,
					encoded("gzip", gzip(CATALOG)), json(CATALOG.replace("\"Desk\"", "\"Table\"")));

			assertThat(comparison.differences())
				.containsExactly(new Difference("$.content[0].name", "\"Desk\"", "\"Table\"", Kind.CHANGED));
		}

		@Test
		void zlibAndRawDeflateBodiesAreDecoded() throws IOException {
			Comparison comparison = ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT,
					encoded("deflate", deflate(CATALOG, false)), encoded("deflate", deflate(CATALOG, true)));

			assertThat(comparison.isMatch()).isTrue();
			assertThat(comparison.bodyCompared()).isTrue();
		}

		@Test
		void aBodyThatIsNotTheGzipItClaimsIsADifference() throws IOException {
			Comparison comparison = ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT,
					encoded("gzip", gzip(CATALOG)), encoded("gzip", CATALOG.getBytes(StandardCharsets.UTF_8)));

			assertThat(comparison.differences())
				.containsExactly(new Difference("$", "<decoded body>", "<body not valid gzip>", Kind.BODY));
		}

		@Test
		void aBodyDecodingBeyondTheBoundIsNotCompared() throws IOException {
			ResponseComparator small = new ResponseComparator(10, 1024);
			String big = "[" + "0,".repeat(5_000) + "0]";

			Comparison comparison = small.compare(CompareRules.DEFAULT, encoded("gzip", gzip(big)),
					encoded("gzip", gzip(big.replace("0]", "1]"))));

			assertThat(comparison.bodyCompared()).isFalse();
			assertThat(comparison.isMatch()).isTrue();
		}

		@Test
		void aCodingTheEngineDoesNotDecodeLeavesTheBodyUncompared() {
			Comparison comparison = ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT,
					encoded("br", new byte[] { 1, 2, 3 }), json(404, CATALOG));

			assertThat(comparison.bodyCompared()).isFalse();
			assertThat(comparison.differences()).extracting(Difference::path).containsExactly("status");
		}

		private static byte[] gzip(String text) throws IOException {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
				out.write(text.getBytes(StandardCharsets.UTF_8));
			}
			return bytes.toByteArray();
		}

		private static byte[] deflate(String text, boolean raw) throws IOException {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new java.util.zip.Deflater(9, raw))) {
				out.write(text.getBytes(StandardCharsets.UTF_8));
			}
			return bytes.toByteArray();
		}

	}

	@Nested
	class OtherBodies {

		private Comparison compareTyped(String contentType, byte[] legacy, byte[] target) {
			return ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT,
					CapturedResponse.of(200, Map.of("Content-Type", List.of(contentType)), legacy),
					CapturedResponse.of(200, Map.of("Content-Type", List.of(contentType)), target));
		}

		@Test
		void equalTextBodiesMatch() {
			assertThat(compareTyped("text/html", "<p>hi</p>".getBytes(), "<p>hi</p>".getBytes()).isMatch()).isTrue();
		}

		@Test
		void differentTextBodiesShowTheTextFromJustBeforeTheFirstDifference() {
			String legacy = "x".repeat(1000) + "legacy ending";
			String target = "x".repeat(1000) + "target ending";

			Comparison comparison = compareTyped("text/plain; charset=UTF-8", legacy.getBytes(), target.getBytes());

			Difference difference = comparison.differences().get(0);
			assertThat(difference.path()).isEqualTo("$");
			assertThat(difference.kind()).isEqualTo(Kind.BODY);
			assertThat(difference.legacyValue()).startsWith("…(char 1000) ").endsWith("legacy ending");
			assertThat(difference.targetValue()).endsWith("target ending");
		}

		@Test
		void textIsDecodedWithTheDeclaredCharset() {
			Comparison comparison = compareTyped("text/plain; charset=ISO-8859-1",
					"Käse".getBytes(StandardCharsets.ISO_8859_1), "Kase".getBytes(StandardCharsets.ISO_8859_1));

			assertThat(comparison.differences().get(0).legacyValue()).isEqualTo("Käse");
		}

		@Test
		void binaryBodiesAreComparedAsBytes() {
			assertThat(compareTyped("image/png", new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 }).isMatch()).isTrue();
			assertThat(compareTyped("image/png", new byte[] { 1, 2, 3 }, new byte[] { 1, 9, 3, 4 }).differences())
				.containsExactly(new Difference("$", "<3 bytes, first difference at byte 1>",
						"<4 bytes, first difference at byte 1>", Kind.BODY));
		}

		@Test
		void jsonNestedBeyondTheParsersLimitIsComparedAsText() {
			String deep = "[".repeat(5000) + "]".repeat(5000);

			Comparison comparison = compareTyped("application/json", deep.getBytes(), (deep + " ").getBytes());

			assertThat(comparison.bodyCompared()).isTrue();
			assertThat(comparison.differences()).extracting(Difference::kind).containsExactly(Kind.BODY);
		}

		@Test
		void aJsonContentTypeWithABodyThatIsNotJsonIsComparedAsText() {
			Comparison comparison = compareTyped("application/json", "oops".getBytes(), "{}".getBytes());

			assertThat(comparison.differences()).containsExactly(new Difference("$", "oops", "{}", Kind.BODY));
		}

	}

	@Nested
	class Truncation {

		@Test
		void aTruncatedBodyIsNotComparedButStatusAndHeadersAre() {
			CapturedResponse legacy = new CapturedResponse(200, Map.of("Content-Type", List.of("application/json")),
					"{\"a\":".getBytes(), true);

			Comparison comparison = ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT, legacy,
					json(500, "{\"a\":1}"));

			assertThat(comparison.bodyCompared()).isFalse();
			assertThat(comparison.differences()).extracting(Difference::path).containsExactly("status");
		}

		@Test
		void aTruncatedBodyWithEqualStatusIsAMatchThatSaysItsBodyWasNotCompared() {
			CapturedResponse target = new CapturedResponse(200, Map.of(), "{\"a\":".getBytes(), true);

			Comparison comparison = ResponseComparatorTests.this.comparator.compare(CompareRules.DEFAULT,
					json("{\"a\":1}"), target);

			assertThat(comparison.isMatch()).isTrue();
			assertThat(comparison.bodyCompared()).isFalse();
		}

	}

	@Nested
	class Bounds {

		@Test
		void longValuesAreCut() {
			String longText = "y".repeat(1000);

			Difference difference = compare("{\"a\":\"" + longText + "\"}", "{\"a\":1}").differences().get(0);

			assertThat(difference.legacyValue()).hasSize(Difference.MAX_VALUE_LENGTH).endsWith("…");
		}

		@Test
		void afterTheBoundDifferencesAreOnlyCounted() {
			ResponseComparator bounded = new ResponseComparator(3, 1024);

			Comparison comparison = bounded.compare(CompareRules.DEFAULT, json("[1,2,3,4,5,6]"), json("[0,0,0,0,0,0]"));

			assertThat(comparison.differences()).hasSize(4);
			assertThat(comparison.differences().get(3))
				.isEqualTo(new Difference("…", "3 more differences", "3 more differences", Kind.OMITTED));
		}

		@Test
		void invalidBoundsAreRejectedByName() {
			assertThatIllegalArgumentException().isThrownBy(() -> new ResponseComparator(0, 1))
				.withMessage("maxDifferences must be at least 1 but was 0");
		}

	}

	@Nested
	class Rules {

		@Test
		void aRoutesCompareBlockBecomesRules() {
			Route.Compare compare = new Route.Compare(List.of(JsonPath.compile("$.generatedAt")), List.of("ETag"),
					ArrayOrder.IGNORE, new BigDecimal("0.5"));

			CompareRules rules = CompareRules.from(compare);

			assertThat(rules.ignore()).containsExactly("$['generatedAt']");
			assertThat(rules.headers()).containsExactly("ETag");
			assertThat(rules.arrayOrder()).isEqualTo(ArrayOrder.IGNORE);
			assertThat(rules.numericTolerance()).isEqualByComparingTo("0.5");
		}

		@Test
		void aMalformedJsonPathIsRejectedNamingIt() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new CompareRules(List.of("$.[oops"), List.of(), ArrayOrder.STRICT, BigDecimal.ZERO))
				.withMessageContaining("'$.[oops'");
		}

		@Test
		void aNegativeToleranceIsRejected() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new CompareRules(List.of(), List.of(), ArrayOrder.STRICT, new BigDecimal("-1")))
				.withMessage("numericTolerance must be zero or more but was -1");
		}

	}

	@Nested
	class FastPath {

		private final CountingMapper mapper = new CountingMapper();

		private final ResponseComparator counted = new ResponseComparator(10, 1024 * 1024, this.mapper);

		@Test
		void identicalBytesMatchWithoutBeingParsed() {
			Comparison comparison = this.counted.compare(rules(List.of("$..etag"), ArrayOrder.IGNORE, "0.01"),
					json(CATALOG), json(CATALOG));

			assertThat(comparison.isMatch()).isTrue();
			assertThat(comparison.bodyCompared()).isTrue();
			assertThat(this.mapper.parses).isZero();
		}

		@Test
		void identicalBytesUnderTheSameContentCodingMatchWithoutBeingParsed() throws IOException {
			ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
			try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
				out.write(CATALOG.getBytes(StandardCharsets.UTF_8));
			}
			Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/json"), "Content-Encoding",
					List.of("gzip"));

			Comparison comparison = this.counted.compare(CompareRules.DEFAULT,
					CapturedResponse.of(200, headers, gzipped.toByteArray()),
					CapturedResponse.of(200, headers, gzipped.toByteArray()));

			assertThat(comparison.isMatch()).isTrue();
			assertThat(this.mapper.parses).isZero();
		}

		@Test
		void equalDocumentsSpelledDifferentlyAreStillParsedAndMatch() {
			Comparison comparison = this.counted.compare(CompareRules.DEFAULT, json("{\"a\":1,\"b\":[1,2]}"),
					json("{ \"b\": [1, 2], \"a\": 1 }"));

			assertThat(comparison.isMatch()).isTrue();
			assertThat(this.mapper.parses).isEqualTo(2);
		}

	}

	/** Counts the JSON documents read, to show which comparisons parse at all. */
	static final class CountingMapper extends ObjectMapper {

		int parses;

		@Override
		public JsonNode readTree(byte[] content) throws IOException {
			this.parses++;
			return super.readTree(content);
		}

	}

}
