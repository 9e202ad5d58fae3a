package dev.strangler.gateway.route;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PercentTests {

	@Test
	void mapsOntoTenThousandBuckets() {
		assertThat(Percent.parse("0.5").basisPoints()).isEqualTo(50);
		assertThat(Percent.parse("100").basisPoints()).isEqualTo(10_000);
		assertThat(Percent.parse("0").basisPoints()).isZero();
	}

	@Test
	void rejectsMoreThanTwoDecimalsBecauseBucketsCannotExpressThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> Percent.parse("0.125"))
			.withMessage("must have at most two decimals");
	}

	@Test
	void rejectsValuesOutOfRangeAndNonNumbers() {
		assertThatIllegalArgumentException().isThrownBy(() -> Percent.parse("100.01"))
			.withMessage("must be between 0 and 100");
		assertThatIllegalArgumentException().isThrownBy(() -> Percent.parse("half"))
			.withMessage("must be a number between 0 and 100");
	}

}
