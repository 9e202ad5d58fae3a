package dev.strangler.gateway.rollout;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RolloutConfigurationTests {

	@Test
	void noTrustedProxiesTrustsNobody() throws Exception {
		assertThat(RolloutConfiguration.trustedProxies(List.of()).contains(InetAddress.getByName("127.0.0.1")))
			.isFalse();
	}

	@Test
	void addressesAndRangesAreTrusted() throws Exception {
		TrustedProxies proxies = RolloutConfiguration.trustedProxies(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));
		assertThat(proxies.contains(InetAddress.getByName("10.20.30.40"))).isTrue();
		assertThat(proxies.contains(InetAddress.getByName("127.0.0.1"))).isTrue();
		assertThat(proxies.contains(InetAddress.getByName("192.168.0.1"))).isFalse();
	}

	@Test
	void anInvalidEntryFailsNamingThePropertyIndexAndValue() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> RolloutConfiguration.trustedProxies(List.of("10.0.0.0/8", "proxy.internal")))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("strangler.rollout.trusted-proxies[1]");
				assertThat(ex.getValue()).isEqualTo("proxy.internal");
				assertThat(ex.getReason()).contains("not an IP address");
			});
	}

	@Test
	void aPrefixOutOfRangeIsInvalid() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> RolloutConfiguration.trustedProxies(List.of("10.0.0.0/33")))
			.withMessageContaining("strangler.rollout.trusted-proxies[0]")
			.withMessageContaining("10.0.0.0/33");
	}

}
