package dev.strangler.gateway.rollout;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TrustedProxiesTests {

	private final TrustedProxies proxies = TrustedProxies
		.of(List.of("10.0.0.0/8", "192.168.1.7", "2001:db8:1::/48", "::1"));

	private static Optional<InetAddress> ip(String literal) {
		return Optional.of(IpAddress.parse(literal).orElseThrow());
	}

	private Optional<String> client(String peer, String... forwardedFor) {
		return this.proxies.clientAddress(ip(peer), List.of(forwardedFor)).map(InetAddress::getHostAddress);
	}

	@Nested
	class Ranges {

		@Test
		void containsAddressesInsideIpv4AndIpv6Ranges() {
			assertThat(TrustedProxiesTests.this.proxies.contains(ip("10.255.0.1").get())).isTrue();
			assertThat(TrustedProxiesTests.this.proxies.contains(ip("192.168.1.7").get())).isTrue();
			assertThat(TrustedProxiesTests.this.proxies.contains(ip("2001:db8:1:ffff::5").get())).isTrue();
			assertThat(TrustedProxiesTests.this.proxies.contains(ip("::1").get())).isTrue();
		}

		@Test
		void doesNotContainAddressesOutside() {
			assertThat(TrustedProxiesTests.this.proxies.contains(ip("11.0.0.1").get())).isFalse();
			assertThat(TrustedProxiesTests.this.proxies.contains(ip("192.168.1.8").get())).isFalse();
			assertThat(TrustedProxiesTests.this.proxies.contains(ip("2001:db8:2::5").get())).isFalse();
			assertThat(TrustedProxiesTests.this.proxies.contains(ip("::2").get())).isFalse();
		}

		@Test
		void rangesWithOddPrefixLengthsMaskPartialBytes() {
			TrustedProxies odd = TrustedProxies.of(List.of("172.16.0.0/12", "fd00::/7"));
			assertThat(odd.contains(ip("172.31.255.255").get())).isTrue();
			assertThat(odd.contains(ip("172.32.0.0").get())).isFalse();
			assertThat(odd.contains(ip("fc00::1").get())).isTrue();
			assertThat(odd.contains(ip("fe00::1").get())).isFalse();
		}

		@Test
		void ipv4RangeNeverContainsAnIpv6Address() {
			TrustedProxies all = TrustedProxies.of(List.of("0.0.0.0/0"));
			assertThat(all.contains(ip("2001:db8::1").get())).isFalse();
			assertThat(all.contains(ip("8.8.8.8").get())).isTrue();
		}

		@ParameterizedTest
		@ValueSource(strings = { "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0", "256.1.1.1", "010.0.0.1",
				"" })
		void invalidEntryIsRejectedWithItsValue(String spec) {
			assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(List.of(spec)))
				.withMessageStartingWith("trusted proxy must be an IP address or CIDR range")
				.withMessageEndingWith("(was '" + spec + "')");
		}

	}

	@Nested
	class ForwardedFor {

		@Test
		void untrustedPeerIsTheClientEvenWithASpoofedHeader() {
			assertThat(client("203.0.113.9", "1.2.3.4")).contains("203.0.113.9");
		}

		@Test
		void trustedPeerForwardsTheClient() {
			assertThat(client("10.0.0.2", "203.0.113.9")).contains("203.0.113.9");
		}

		@Test
		void entriesLeftOfTheFirstUntrustedHopAreNeverBelieved() {
			// The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real
			// address.
			assertThat(client("10.0.0.2", "1.2.3.4, 203.0.113.9")).contains("203.0.113.9");
		}

		@Test
		void trustedHopsAreSkippedFromTheRight() {
			assertThat(client("10.0.0.2", "1.2.3.4, 203.0.113.9, 192.168.1.7, 10.9.9.9")).contains("203.0.113.9");
		}

		@Test
		void severalHeaderValuesAreOneList() {
			assertThat(client("10.0.0.2", "1.2.3.4, 203.0.113.9", "10.3.3.3")).contains("203.0.113.9");
		}

		@Test
		void ipv6HopsInsideATrustedIpv6RangeAreSkipped() {
			assertThat(client("2001:db8:1::10", "2001:db8:ffff::77, 2001:db8:1::20"))
				.contains(ip("2001:db8:ffff::77").get().getHostAddress());
		}

		@Test
		void hopsWithPortsAreUnderstood() {
			assertThat(client("10.0.0.2", "203.0.113.9:51234")).contains("203.0.113.9");
			assertThat(client("10.0.0.2", "[2001:db8:ffff::77]:443"))
				.contains(ip("2001:db8:ffff::77").get().getHostAddress());
		}

		@Test
		void garbageHopStopsTheWalkAtTheLastTrustedHop() {
			assertThat(client("10.0.0.2", "203.0.113.9, unknown, 10.0.0.3")).contains("10.0.0.3");
			assertThat(client("10.0.0.2", "evil.example.com")).contains("10.0.0.2");
		}

		@Test
		void allHopsTrustedGivesTheLeftmost() {
			assertThat(client("10.0.0.2", "10.0.0.9, 10.0.0.3")).contains("10.0.0.9");
		}

		@Test
		void trustedPeerWithoutHeaderIsTheClient() {
			assertThat(client("10.0.0.2")).contains("10.0.0.2");
		}

		@Test
		void noTrustedProxiesIgnoresTheHeader() {
			assertThat(TrustedProxies.none()
				.clientAddress(ip("10.0.0.2"), List.of("203.0.113.9"))
				.map(InetAddress::getHostAddress)).contains("10.0.0.2");
		}

		@Test
		void unknownPeerGivesNoAddress() {
			assertThat(TrustedProxiesTests.this.proxies.clientAddress(Optional.empty(), List.of("203.0.113.9")))
				.isEmpty();
		}

	}

}
