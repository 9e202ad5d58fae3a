package dev.strangler.gateway.dashboard;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesTests {

	@Test
	void namesEachLineWithThePathTheComparisonUses() {
		List<JsonLines.Line> lines = JsonLines.of("{\"id\":1,\"tags\":[\"a\"],\"odd key\":{\"x\":true}}", Set.of());
		assertThat(lines).extracting(JsonLines.Line::path)
			.containsExactly("$", "$.id", "$.tags", "$.tags[0]", "$.tags", "$['odd key']", "$['odd key'].x",
					"$['odd key']", "$");
		assertThat(lines).extracting(JsonLines.Line::indented)
			.containsExactly("{", "  \"id\": 1,", "  \"tags\": [", "    \"a\"", "  ],", "  \"odd key\": {",
					"    \"x\": true", "  }", "}");
	}

	@Test
	void highlightsADifferingPathAndEverythingBelowIt() {
		List<JsonLines.Line> lines = JsonLines.of("{\"price\":1,\"priceText\":\"1\",\"content\":[{\"a\":1}]}",
				Set.of("$.price", "$.content[0]"));
		assertThat(lines).filteredOn(JsonLines.Line::differs)
			.extracting(JsonLines.Line::path)
			.containsExactly("$.price", "$.content[0]", "$.content[0].a", "$.content[0]");
	}

	@Test
	void showsTextThatIsNotCompleteJsonAsItIsWithoutHighlighting() {
		List<JsonLines.Line> lines = JsonLines.of("{\"cut\": \"in the mid", Set.of("$.cut"));
		assertThat(lines).singleElement().satisfies((line) -> {
			assertThat(line.text()).isEqualTo("{\"cut\": \"in the mid");
			assertThat(line.differs()).isFalse();
		});
	}

}
