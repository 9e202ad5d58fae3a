package dev.strangler.gateway.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decisions both the filter chain and the front take for a failed target call (DESIGN
 * §8).
 */
class TargetRulesTests {

	@Test
	void aSafeRequestFallsBackOnEveryFailureAndOnAServerError() {
		TargetRules rules = TargetRules.of(route(0, true), HttpMethod.GET, true);

		assertThat(rules.resendable()).isTrue();
		assertThat(rules.retried()).isFalse();
		assertThat(rules.checksBody()).as("a broken body can still fall back").isTrue();
		assertThat(rules.fallbackFor(503)).isEqualTo(TargetFailure.status(503));
		assertThat(rules.fallbackFor(404)).isNull();
		assertThat(rules.fallsBackOn(TargetFailure.TIMEOUT)).isTrue();
		assertThat(rules.fallsBackOn(TargetFailure.CONNECTION_RESET)).isTrue();
	}

	@Test
	void aDeleteFallsBackOnlyWhenTheTargetNeverReceivedIt() {
		TargetRules rules = TargetRules.of(route(0, true), HttpMethod.DELETE, true);

		assertThat(rules.resendable()).isFalse();
		assertThat(rules.checksBody()).isFalse();
		assertThat(rules.fallbackFor(503)).as("the target's answer is relayed").isNull();
		assertThat(rules.fallsBackOn(TargetFailure.CONNECT_REFUSED)).isTrue();
		assertThat(rules.fallsBackOn(TargetFailure.CIRCUIT_OPEN)).isTrue();
		assertThat(rules.fallsBackOn(TargetFailure.TIMEOUT)).isFalse();
		assertThat(rules.fallsBackOn(TargetFailure.CONNECTION_RESET)).isFalse();
	}

	@Test
	void aBodyThatCannotBeReplayedFallsBackOnlyWhenItWasNeverRead() {
		TargetRules rules = TargetRules.of(route(2, true), HttpMethod.PUT, false);

		assertThat(rules.retried()).isFalse();
		assertThat(rules.fallsBackOn(TargetFailure.CONNECT_REFUSED)).as("the body may have been read").isFalse();
		assertThat(rules.fallsBackOn(TargetFailure.BULKHEAD_FULL)).isTrue();
	}

	@Test
	void idempotentRequestsAreRetriedWhenTheRouteAllowsIt() {
		assertThat(TargetRules.of(route(2, true), HttpMethod.PUT, true).retried()).isTrue();
		assertThat(TargetRules.of(route(2, true), HttpMethod.PUT, true).checksBody()).isTrue();
		assertThat(TargetRules.of(route(2, true), HttpMethod.POST, true).retried()).isFalse();
		assertThat(TargetRules.of(route(0, true), HttpMethod.PUT, true).retried()).isFalse();
	}

	@Test
	void withoutFallbackNothingIsAnsweredByLegacy() {
		TargetRules rules = TargetRules.of(route(0, false), HttpMethod.GET, true);

		assertThat(rules.fallbackFor(503)).isNull();
		assertThat(rules.fallsBackOn(TargetFailure.CIRCUIT_OPEN)).isFalse();
		assertThat(rules.fallsBackOn(TargetFailure.TIMEOUT)).isFalse();
	}

	private static Route route(int retries, boolean fallbackToLegacy) {
		Route.Resilience resilience = new Route.Resilience(Duration.ofSeconds(2), 50, Duration.ofSeconds(1),
				Duration.ofSeconds(30), retries, fallbackToLegacy, null);
		return new Route("moved", "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/moved/**")), Set.of()),
				URI.create("http://legacy.test"), URI.create("http://target.test"), Stage.MIGRATED,
				Route.Rollout.DEFAULT, Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, resilience);
	}

}
