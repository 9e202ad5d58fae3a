package dev.strangler.gateway.headers;

import java.net.InetSocketAddress;
import java.util.Map;

import dev.strangler.gateway.rollout.TrustedProxies;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardedRequestHeadersTests {

	private final ForwardingHeadersFilter filter = new ForwardingHeadersFilter(
			new ForwardingHeaders(TrustedProxies.none(), false));

	private final MockServerWebExchange exchange = MockServerWebExchange
		.from(MockServerHttpRequest.get("http://gw.example:8080/api/products")
			.remoteAddress(new InetSocketAddress("127.0.0.1", 50000))
			.header("X-Forwarded-For", "203.0.113.9")
			.header("X-Forwarded-Host", "spoofed.example")
			.header("Accept", "application/json"));

	@Test
	void theFilterDecidesOnceAndLeavesTheRequestAsItCame() {
		ServerHttpRequest before = this.exchange.getRequest();

		ServerWebExchange passedOn = passThroughFilter();

		assertThat(passedOn).isSameAs(this.exchange);
		assertThat(passedOn.getRequest()).isSameAs(before);
		assertThat(before.getHeaders().get("X-Forwarded-For")).containsExactly("203.0.113.9");
		HttpHeaders decided = ForwardedRequestHeaders.decided(this.exchange);
		assertThat(decided).isNotNull();
		assertThat(decided.toSingleValueMap()).containsOnly(entry("X-Forwarded-For", "127.0.0.1"),
				entry("X-Forwarded-Proto", "http"), entry("X-Forwarded-Host", "gw.example:8080"),
				entry("X-Forwarded-Port", "8080"));
	}

	@Test
	void aCopyCarriesTheDecidedForwardingHeadersInsteadOfTheClients() {
		passThroughFilter();

		HttpHeaders copy = ForwardedRequestHeaders.copyOf(this.exchange);

		assertThat(copy.get("X-Forwarded-For")).containsExactly("127.0.0.1");
		assertThat(copy.getFirst("X-Forwarded-Host")).isEqualTo("gw.example:8080");
		assertThat(copy.getFirst("Accept")).isEqualTo("application/json");
		assertThat(this.exchange.getRequest().getHeaders().getFirst("X-Forwarded-Host")).isEqualTo("spoofed.example");
	}

	@Test
	void writingIntoHeadersDropsEveryOtherForwardingHeader() {
		passThroughFilter();
		HttpHeaders sent = new HttpHeaders();
		sent.add("x-forwarded-prefix", "/spoofed");
		sent.add("Forwarded", "for=10.9.9.9");
		sent.add("Accept", "text/plain");

		ForwardedRequestHeaders.writeInto(sent, this.exchange);

		assertThat(sent.containsKey("X-Forwarded-Prefix")).isFalse();
		assertThat(sent.containsKey("Forwarded")).isFalse();
		assertThat(sent.get("X-Forwarded-For")).containsExactly("127.0.0.1");
		assertThat(sent.getFirst("Accept")).isEqualTo("text/plain");
	}

	@Test
	void withoutADecisionTheRequestsOwnForwardingHeadersAreSent() {
		HttpHeaders sent = new HttpHeaders();
		sent.add("X-Forwarded-Proto", "https");

		ForwardedRequestHeaders.writeInto(sent, this.exchange);

		assertThat(sent.toSingleValueMap()).containsOnly(entry("X-Forwarded-For", "203.0.113.9"),
				entry("X-Forwarded-Host", "spoofed.example"));
	}

	private ServerWebExchange passThroughFilter() {
		ServerWebExchange[] passed = new ServerWebExchange[1];
		this.filter.filter(this.exchange, (next) -> {
			passed[0] = next;
			return Mono.empty();
		}).block();
		return passed[0];
	}

	private static Map.Entry<String, String> entry(String name, String value) {
		return Map.entry(name, value);
	}

}
