package dev.strangler.gateway.headers;

import dev.strangler.gateway.rollout.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackendForcingTests {

	private static final String TOKEN = "correct-horse-battery-staple";

	private final BackendForcing enabled = BackendForcing.enabled(TOKEN);

	@Test
	void disabledForcingIgnoresEvenTheRightToken() {
		assertThat(BackendForcing.disabled().resolve("target", TOKEN)).isEmpty();
	}

	@Test
	void enabledForcingHonoursEitherBackendWithTheRightToken() {
		assertThat(this.enabled.resolve("target", TOKEN)).hasValue(Backend.TARGET);
		assertThat(this.enabled.resolve(" Legacy ", TOKEN)).hasValue(Backend.LEGACY);
	}

	@Test
	void enabledForcingIgnoresAMissingWrongOrTruncatedToken() {
		assertThat(this.enabled.resolve("target", null)).isEmpty();
		assertThat(this.enabled.resolve("target", "")).isEmpty();
		assertThat(this.enabled.resolve("target", "wrong")).isEmpty();
		assertThat(this.enabled.resolve("target", TOKEN.substring(1))).isEmpty();
		assertThat(this.enabled.resolve("target", TOKEN + " ")).isEmpty();
	}

	@Test
	void anUnknownBackendIsIgnored() {
		assertThat(this.enabled.resolve("canary", TOKEN)).isEmpty();
		assertThat(this.enabled.resolve("", TOKEN)).isEmpty();
	}

	@Test
	void noRequestedBackendMeansNothingIsForced() {
		assertThat(this.enabled.resolve(null, TOKEN)).isEmpty();
	}

	@Test
	void aBlankTokenCannotEnableForcing() {
		assertThatIllegalArgumentException().isThrownBy(() -> BackendForcing.enabled(" "));
	}

	@Test
	void toStringNeverShowsTheToken() {
		assertThat(this.enabled.toString()).doesNotContain(TOKEN).contains("enabled");
	}

}
