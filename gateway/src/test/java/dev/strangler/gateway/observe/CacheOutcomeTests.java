package dev.strangler.gateway.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CacheOutcomeTests {

	@Test
	void aHitIsAHit() {
		assertThat(CacheOutcome.of("strangler; hit")).isEqualTo("hit");
	}

	@Test
	void aForwardedResponseIsNamedByItsReason() {
		assertThat(CacheOutcome.of("strangler; fwd=miss; stored")).isEqualTo("miss");
		assertThat(CacheOutcome.of("strangler; fwd=request")).isEqualTo("request");
		assertThat(CacheOutcome.of("strangler; fwd=method")).isEqualTo("method");
	}

	@Test
	void aCollapsedLoadIsCollapsed() {
		assertThat(CacheOutcome.of("strangler; fwd=miss; collapsed")).isEqualTo("collapsed");
	}

	@Test
	void onlyTheGatewaysOwnEntryCounts() {
		assertThat(CacheOutcome.of("origin-cdn; hit, strangler; fwd=miss")).isEqualTo("miss");
		assertThat(CacheOutcome.of("origin-cdn; hit")).isNull();
	}

	@Test
	void noHeaderMeansNoCache() {
		assertThat(CacheOutcome.of(null)).isNull();
	}

	@Test
	void anEntryWithoutOutcomeIsUnknown() {
		assertThat(CacheOutcome.of("strangler; ttl=3")).isEqualTo("unknown");
	}

}
