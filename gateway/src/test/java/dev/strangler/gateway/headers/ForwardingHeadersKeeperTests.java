package dev.strangler.gateway.headers;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingHeadersKeeperTests {

	private final ForwardingHeadersKeeper keeper = new ForwardingHeadersKeeper();

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x")
		.header("X-Forwarded-For", "203.0.113.9")
		.header("X-Forwarded-Proto", "https")
		.header("Forwarded", "for=203.0.113.9;proto=https")
		.header("Accept", "application/json"));

	@Test
	void aWritableCopyIsChangedInPlaceWithTheRequestsForwardingHeadersInsteadOfItsOwn() {
		HttpHeaders input = new HttpHeaders();
		input.add("Accept", "application/json");
		input.add("x-forwarded-for", "10.9.9.9");
		input.add("X-Forwarded-Host", "spoofed.example");

		HttpHeaders output = this.keeper.filter(input, this.exchange);

		assertThat(output).isSameAs(input);
		assertThat(output.get("X-Forwarded-For")).containsExactly("203.0.113.9");
		assertThat(output.getFirst("X-Forwarded-Proto")).isEqualTo("https");
		assertThat(output.getFirst("Forwarded")).isEqualTo("for=203.0.113.9;proto=https");
		assertThat(output.containsKey("X-Forwarded-Host")).isFalse();
		assertThat(output.getFirst("Accept")).isEqualTo("application/json");
	}

	@Test
	void readOnlyHeadersAreCopiedWithTheRequestsForwardingHeadersInsteadOfTheirOwn() {
		HttpHeaders writable = new HttpHeaders();
		writable.add("Accept", "text/plain");
		writable.add("X-Forwarded-Host", "spoofed.example");
		HttpHeaders readOnly = HttpHeaders.readOnlyHttpHeaders(writable);

		HttpHeaders output = this.keeper.filter(readOnly, this.exchange);

		assertThat(output).isNotSameAs(readOnly);
		assertThat(output.get("X-Forwarded-For")).containsExactly("203.0.113.9");
		assertThat(output.containsKey("X-Forwarded-Host")).isFalse();
		assertThat(output.getFirst("Accept")).isEqualTo("text/plain");
		assertThat(readOnly.getFirst("X-Forwarded-Host")).isEqualTo("spoofed.example");
	}

}
