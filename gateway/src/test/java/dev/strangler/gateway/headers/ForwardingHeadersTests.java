package dev.strangler.gateway.headers;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

import dev.strangler.gateway.rollout.TrustedProxies;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingHeadersTests {

	private final ForwardingHeaders forwarding = new ForwardingHeaders(TrustedProxies.of(List.of("10.0.0.0/8")), true);

	@Test
	void anIpv6PeerIsWrittenBareInXForwardedForAndBracketedInForwarded() {
		HttpHeaders headers = new HttpHeaders();

		this.forwarding.apply(headers, new InetSocketAddress("2001:db8::7", 50000),
				URI.create("https://shop.example/x"));

		assertThat(headers.getFirst("X-Forwarded-For")).isEqualTo("2001:db8:0:0:0:0:0:7");
		assertThat(headers.getFirst("Forwarded"))
			.isEqualTo("for=\"[2001:db8:0:0:0:0:0:7]\";proto=https;host=shop.example");
		assertThat(headers.getFirst("X-Forwarded-Host")).isEqualTo("shop.example");
		assertThat(headers.getFirst("X-Forwarded-Port")).isEqualTo("443");
	}

	@Test
	void aTrustedProxysSeveralHeaderLinesBecomeOneChain() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("x-forwarded-for", "198.51.100.4");
		headers.add("X-Forwarded-For", "203.0.113.9, 10.0.0.2");

		this.forwarding.apply(headers, new InetSocketAddress("10.0.0.3", 50000), URI.create("http://gw:8080/x"));

		assertThat(headers.get("X-Forwarded-For")).containsExactly("198.51.100.4, 203.0.113.9, 10.0.0.2, 10.0.0.3");
		assertThat(headers.getFirst("X-Forwarded-Host")).isEqualTo("gw:8080");
	}

	@Test
	void anUntrustedPeersClaimsAreDroppedWhateverTheirSpelling() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("x-forwarded-for", "198.51.100.4");
		headers.add("X-FORWARDED-PROTO", "https");
		headers.add("forwarded", "for=198.51.100.4");

		this.forwarding.apply(headers, new InetSocketAddress("192.0.2.1", 50000), URI.create("http://gw:8080/x"));

		assertThat(headers.get("X-Forwarded-For")).containsExactly("192.0.2.1");
		assertThat(headers.get("X-Forwarded-Proto")).containsExactly("http");
		assertThat(headers.get("Forwarded")).containsExactly("for=192.0.2.1;proto=http;host=\"gw:8080\"");
	}

	@Test
	void aRequestWithoutForwardingHeadersGetsTheAnswerForItsPeerAndAddressOnlyComputedAgainWhenEitherChanges() {
		InetSocketAddress peer = new InetSocketAddress("192.0.2.7", 50000);
		InetSocketAddress samePeerOtherPort = new InetSocketAddress("192.0.2.7", 50001);
		URI uri = URI.create("http://gw.example:8080/api/products");

		HttpHeaders first = this.forwarding.forwardingOf(new HttpHeaders(), peer, uri);
		HttpHeaders again = this.forwarding.forwardingOf(new HttpHeaders(), samePeerOtherPort,
				URI.create("http://gw.example:8080/api/orders?x=1"));
		HttpHeaders otherPeer = this.forwarding.forwardingOf(new HttpHeaders(),
				new InetSocketAddress("192.0.2.8", 50000), uri);
		HttpHeaders otherHost = this.forwarding.forwardingOf(new HttpHeaders(), peer,
				URI.create("http://gw2.example:8080/api/products"));

		assertThat(again).isSameAs(first);
		assertThat(first.getFirst("X-Forwarded-For")).isEqualTo("192.0.2.7");
		assertThat(otherPeer.getFirst("X-Forwarded-For")).isEqualTo("192.0.2.8");
		assertThat(otherHost.getFirst("X-Forwarded-Host")).isEqualTo("gw2.example:8080");
		assertThat(first.getFirst("X-Forwarded-Host")).isEqualTo("gw.example:8080");
	}

	@Test
	void aRequestWithForwardingHeadersOfItsOwnIsNeverAnsweredFromTheLastAnswer() {
		InetSocketAddress proxy = new InetSocketAddress("10.0.0.5", 50000);
		URI uri = URI.create("https://gw.example/api/products");
		HttpHeaders plain = this.forwarding.forwardingOf(new HttpHeaders(), proxy, uri);
		HttpHeaders sent = new HttpHeaders();
		sent.add("x-forwarded-for", "203.0.113.9");

		HttpHeaders viaProxy = this.forwarding.forwardingOf(sent, proxy, uri);
		HttpHeaders plainAgain = this.forwarding.forwardingOf(new HttpHeaders(), proxy, uri);

		assertThat(viaProxy.get("X-Forwarded-For")).containsExactly("203.0.113.9, 10.0.0.5");
		assertThat(plainAgain).isSameAs(plain);
		assertThat(plainAgain.get("X-Forwarded-For")).containsExactly("10.0.0.5");
		assertThat(sent.get("X-Forwarded-For")).as("the request's own headers").containsExactly("203.0.113.9");
	}

}
