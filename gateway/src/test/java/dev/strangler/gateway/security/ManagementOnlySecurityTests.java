package dev.strangler.gateway.security;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementOnlySecurityTests {

	private final List<String> calls = new ArrayList<>();

	private final WebFilter security = (exchange, chain) -> {
		this.calls.add("security");
		return chain.filter(exchange);
	};

	@Test
	void aTrafficExchangeGoesStraightOnWithoutSecurity() {
		run(new ManagementOnlySecurity(this.security, (exchange) -> true));

		assertThat(this.calls).containsExactly("chain");
	}

	@Test
	void aManagementExchangeGoesThroughSecurity() {
		run(new ManagementOnlySecurity(this.security, (exchange) -> false));

		assertThat(this.calls).containsExactly("security", "chain");
	}

	@Test
	void anExchangeWithoutItsServerKnownGoesThroughSecurity() {
		ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/actuator/env"));

		assertThat(PortAwareFirewall.onTrafficServer(exchange)).isFalse();
	}

	@Test
	void springSecurityIsWrappedOnlyWhenManagementHasAPortOfItsOwn() {
		WebFilterChainProxy proxy = new WebFilterChainProxy(List.of());

		assertThat(new ManagementOnlySecurity.Installer(true).postProcessAfterInitialization(proxy, "security"))
			.isInstanceOf(ManagementOnlySecurity.class);
		assertThat(new ManagementOnlySecurity.Installer(false).postProcessAfterInitialization(proxy, "security"))
			.isSameAs(proxy);
	}

	private void run(WebFilter filter) {
		ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/orders/1"));
		filter.filter(exchange, (passed) -> {
			this.calls.add("chain");
			return Mono.empty();
		}).block();
	}

}
