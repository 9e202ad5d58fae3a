package dev.strangler.gateway.rollout;

import java.util.List;

import dev.strangler.gateway.route.StickyKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StickyKeyExtractorTests {

	private final StickyKeyExtractor extractor = new StickyKeyExtractor(TrustedProxies.of(List.of("10.0.0.0/8")));

	private String extract(String stickyBy, StickyRequest request) {
		return this.extractor.extract(StickyKey.parse(stickyBy), request).orElse(null);
	}

	@Test
	void headerIsMatchedIgnoringCaseAndTheFirstValueWins() {
		StickyRequest request = StickyRequest.builder().header("x-user-id", "42").header("X-USER-ID", "43").build();
		assertThat(extract("header:X-User-Id", request)).isEqualTo("42");
	}

	@Test
	void cookieIsRead() {
		StickyRequest request = StickyRequest.builder().cookie("session", "abc").build();
		assertThat(extract("cookie:session", request)).isEqualTo("abc");
	}

	@Test
	void queryParameterIsRead() {
		StickyRequest request = StickyRequest.builder().query("user", "u-7").build();
		assertThat(extract("query:user", request)).isEqualTo("u-7");
	}

	@Test
	void clientIpIsTheDirectPeerWhenItIsNoTrustedProxy() {
		StickyRequest request = StickyRequest.builder()
			.remoteAddress("203.0.113.9")
			.header("X-Forwarded-For", "1.2.3.4")
			.build();
		assertThat(extract("client-ip", request)).isEqualTo("203.0.113.9");
	}

	@Test
	void clientIpComesFromForwardedForBehindATrustedProxy() {
		StickyRequest request = StickyRequest.builder()
			.remoteAddress("10.1.2.3")
			.header("x-forwarded-for", "1.2.3.4, 203.0.113.9")
			.build();
		assertThat(extract("client-ip", request)).isEqualTo("203.0.113.9");
	}

	@Test
	void missingKeyOfEachKindIsEmpty() {
		StickyRequest empty = StickyRequest.builder().build();
		for (String stickyBy : List.of("header:X-User-Id", "cookie:session", "query:user", "client-ip")) {
			assertThat(this.extractor.extract(StickyKey.parse(stickyBy), empty)).as(stickyBy).isEmpty();
		}
	}

	@Test
	void blankValueCountsAsMissingAndTheNextValueIsUsed() {
		StickyRequest request = StickyRequest.builder()
			.header("X-User-Id", "  ")
			.cookie("session", "")
			.query("user", "")
			.query("user", "second")
			.build();
		assertThat(extract("header:X-User-Id", request)).isNull();
		assertThat(extract("cookie:session", request)).isNull();
		assertThat(extract("query:user", request)).isEqualTo("second");
	}

	@Test
	void cookieAndQueryNamesAreMatchedExactly() {
		StickyRequest request = StickyRequest.builder().cookie("Session", "c").query("User", "q").build();
		assertThat(extract("cookie:session", request)).isNull();
		assertThat(extract("query:user", request)).isNull();
	}

}
