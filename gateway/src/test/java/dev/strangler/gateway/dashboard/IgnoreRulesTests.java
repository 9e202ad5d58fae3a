package dev.strangler.gateway.dashboard;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IgnoreRulesTests {

	@Test
	void quotesEachPathSoYamlKeepsItAsWritten() {
		assertThat(IgnoreRules.yaml("catalog", List.of("$['odd key']", "$.generatedAt"))).isEqualTo("""
				routes:
				  - id: catalog
				    # ...the route's other keys stay as they are
				    compare:
				      ignore:
				        - '$.generatedAt'
				        - '$[''odd key'']'
				""");
	}

}
