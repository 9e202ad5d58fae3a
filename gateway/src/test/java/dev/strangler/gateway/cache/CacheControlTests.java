package dev.strangler.gateway.cache;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CacheControlTests {

	@Test
	void readsSeveralDirectivesOnOneLine() {
		CacheControl cc = CacheControl.parse(List.of("public, max-age=60"));

		assertThat(cc.isPublic()).isTrue();
		assertThat(cc.maxAge()).contains(Duration.ofSeconds(60));
		assertThat(cc.noStore()).isFalse();
	}

	@Test
	void readsDirectivesSpreadOverSeveralHeaderLines() {
		CacheControl cc = CacheControl.parse(List.of("public", "max-age=60", "s-maxage=20, no-cache"));

		assertThat(cc.isPublic()).isTrue();
		assertThat(cc.maxAge()).contains(Duration.ofSeconds(60));
		assertThat(cc.sMaxAge()).contains(Duration.ofSeconds(20));
		assertThat(cc.noCache()).isTrue();
	}

	@Test
	void directiveNamesAreCaseInsensitiveAndWhitespaceIsTolerated() {
		CacheControl cc = CacheControl.parse(List.of("  Max-Age = 5 ,NO-STORE,\tPrivate  "));

		assertThat(cc.maxAge()).contains(Duration.ofSeconds(5));
		assertThat(cc.noStore()).isTrue();
		assertThat(cc.isPrivate()).isTrue();
	}

	@Test
	void quotedValuesMayHoldCommasAndAreUnquoted() {
		CacheControl cc = CacheControl.parse(List.of("private=\"Set-Cookie, X-Token\", max-age=\"30\", public"));

		assertThat(cc.isPrivate()).isTrue();
		assertThat(cc.maxAge()).contains(Duration.ofSeconds(30));
		assertThat(cc.isPublic()).isTrue();
	}

	@Test
	void qualifiedNoCacheCountsAsNoCache() {
		assertThat(CacheControl.parse(List.of("no-cache=\"Set-Cookie\"")).noCache()).isTrue();
	}

	@Test
	void theFirstOfTwoMaxAgesCounts() {
		CacheControl cc = CacheControl.parse(List.of("max-age=10", "max-age=99"));

		assertThat(cc.maxAge()).contains(Duration.ofSeconds(10));
	}

	@Test
	void anInvalidMaxAgeMakesTheResponseStale() {
		assertThat(CacheControl.parse(List.of("max-age=soon")).maxAge()).contains(Duration.ZERO);
		assertThat(CacheControl.parse(List.of("max-age=-5")).maxAge()).contains(Duration.ZERO);
		assertThat(CacheControl.parse(List.of("max-age")).maxAge()).contains(Duration.ZERO);
		assertThat(CacheControl.parse(List.of("s-maxage=1.5")).sMaxAge()).contains(Duration.ZERO);
	}

	@Test
	void hugeDeltaSecondsAreCappedAtTwoToTheThirtyFirst() {
		CacheControl cc = CacheControl.parse(List.of("max-age=99999999999999999999999"));

		assertThat(cc.maxAge()).contains(Duration.ofSeconds(2147483648L));
	}

	@Test
	void unknownDirectivesAndEmptyElementsAreIgnored() {
		CacheControl cc = CacheControl.parse(List.of(",, must-revalidate, immutable, foo=\"bar\", max-age=7 ,"));

		assertThat(cc.maxAge()).contains(Duration.ofSeconds(7));
		assertThat(cc.noStore() || cc.noCache() || cc.isPrivate() || cc.isPublic()).isFalse();
	}

	@Test
	void noHeaderMeansNoDirectives() {
		assertThat(CacheControl.parse(List.of())).isSameAs(CacheControl.NONE);
		assertThat(CacheControl.NONE.maxAge()).isEmpty();
		assertThat(CacheControl.NONE.sMaxAge()).isEmpty();
	}

	@Test
	void anUnterminatedQuoteEndsTheLineWithoutFailing() {
		CacheControl cc = CacheControl.parse(List.of("public, private=\"Set-Cookie"));

		assertThat(cc.isPublic()).isTrue();
		assertThat(cc.isPrivate()).isTrue();
	}

}
