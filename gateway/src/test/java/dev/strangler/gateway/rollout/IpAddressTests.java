package dev.strangler.gateway.rollout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IpAddressTests {

	@ParameterizedTest
	@ValueSource(strings = { "0.0.0.0", "255.255.255.255", "203.0.113.9", "::", "::1", "2001:db8::1", "::ffff:10.0.0.1",
			" 10.0.0.1 " })
	void parsesLiterals(String literal) {
		assertThat(IpAddress.parse(literal)).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "unknown", "localhost", "example.com", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4",
			"0x7f.0.0.1", "1.2.3.4:80", "[::1]", "2001:db8::1%eth0", "2001:db8:::1", ":", "1:2:3:4:5:6:7:8:9" })
	void rejectsEverythingElseWithoutALookup(String text) {
		assertThat(IpAddress.parse(text)).isEmpty();
	}

	@Test
	void forwardedEntriesMayCarryAPort() {
		assertThat(IpAddress.parseForwarded("203.0.113.9:51234")).isEqualTo(IpAddress.parse("203.0.113.9"));
		assertThat(IpAddress.parseForwarded("[2001:db8::1]:443")).isEqualTo(IpAddress.parse("2001:db8::1"));
		assertThat(IpAddress.parseForwarded("[2001:db8::1]")).isEqualTo(IpAddress.parse("2001:db8::1"));
		assertThat(IpAddress.parseForwarded("unknown")).isEmpty();
	}

}
