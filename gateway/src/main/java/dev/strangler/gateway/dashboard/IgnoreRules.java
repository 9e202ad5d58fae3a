package dev.strangler.gateway.dashboard;

import java.util.Collection;
import java.util.TreeSet;

/**
 * The {@code compare.ignore} block an operator pastes into a route file to turn learned
 * noise (or a differing path) into a rule (docs/shadow-testing.md).
 *
 * <pre class="code">
 * IgnoreRules.yaml("catalog", List.of("$.generatedAt"));
 * // routes:
 * //   - id: catalog
 * //     compare:
 * //       ignore: [$.generatedAt]
 * </pre>
 */
final class IgnoreRules {

	private IgnoreRules() {
	}

	static String yaml(String routeId, Collection<String> paths) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("routes:\n  - id: ").append(routeId).append("\n    # ...the route's other keys stay as they are\n");
		yaml.append("    compare:\n      ignore:\n");
		for (String path : new TreeSet<>(paths)) {
			// quoted: JSONPath's $, [ and ? mean something else in YAML
			yaml.append("        - '").append(path.replace("'", "''")).append("'\n");
		}
		return yaml.toString();
	}

}
