package dev.strangler.gateway.shadow;

import java.net.URI;
import java.util.List;
import java.util.Set;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.routing.RoutingDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests {@link ShadowMirrorFilter} mirrors: only what legacy serves, in the
 * stages that compare, for the listed methods.
 */
class ShadowMirrorFilterTests {

	private static Route route(Stage stage) {
		return new Route("catalog", "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/products")), Set.of()),
				URI.create("http://legacy"), URI.create("http://target"), stage, Route.Rollout.DEFAULT,
				Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

	@ParameterizedTest
	@EnumSource(value = Stage.class, names = { "SHADOW", "CANARY" })
	void legacyServedRequestsAreMirroredInTheComparingStages(Stage stage) {
		assertThat(ShadowMirrorFilter.mirrors(new RoutingDecision(route(stage), Backend.LEGACY), HttpMethod.GET))
			.isTrue();
	}

	@ParameterizedTest
	@EnumSource(value = Stage.class, names = { "SHADOW", "CANARY" })
	void targetServedRequestsAreNeverComparedWithThemselves(Stage stage) {
		// A canary share, or a tester forcing the target on a shadow route.
		assertThat(ShadowMirrorFilter.mirrors(new RoutingDecision(route(stage), Backend.TARGET), HttpMethod.GET))
			.isFalse();
	}

	@ParameterizedTest
	@EnumSource(value = Stage.class, names = { "LEGACY", "MIGRATED" })
	void theOtherStagesMirrorNothing(Stage stage) {
		assertThat(ShadowMirrorFilter.mirrors(new RoutingDecision(route(stage), Backend.LEGACY), HttpMethod.GET))
			.isFalse();
	}

	@Test
	void unlistedMethodsAreNotMirrored() {
		assertThat(
				ShadowMirrorFilter.mirrors(new RoutingDecision(route(Stage.SHADOW), Backend.LEGACY), HttpMethod.POST))
			.isFalse();
	}

}
