package dev.strangler.gateway.rollout;

import java.net.URI;
import java.util.List;
import java.util.Set;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

class StageBackendSelectorTests {

	private final BackendSelector selector = new StageBackendSelector();

	@ParameterizedTest
	@CsvSource({ "LEGACY, LEGACY", "SHADOW, LEGACY", "MIGRATED, TARGET",
			// Until the sticky split ships a canary stays on legacy, whatever its
			// percent.
			"CANARY, LEGACY" })
	void eachStageIsServedByItsBackend(Stage stage, Backend expected) {
		assertThat(this.selector.select(route(stage), "user-1")).isEqualTo(expected);
		assertThat(this.selector.select(route(stage), null)).isEqualTo(expected);
	}

	private static Route route(Stage stage) {
		return new Route("catalog", "", "catalog.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/**")), Set.of()),
				URI.create("http://legacy.test"), URI.create("http://target.test"), stage,
				new Route.Rollout(Percent.ALL, null), Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null,
				Route.Resilience.DEFAULT);
	}

}
