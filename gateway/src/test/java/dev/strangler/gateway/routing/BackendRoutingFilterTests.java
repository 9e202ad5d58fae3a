package dev.strangler.gateway.routing;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackendRoutingFilterTests {

	@Test
	void rebaseMovesTheRequestOntoTheBackendKeepingPathAndQuery() {
		assertThat(BackendRoutingFilter.rebase(URI.create("http://legacy:8081/api/orders/7?x=1&y=a%20b"),
				URI.create("https://orders.test:8443")))
			.isEqualTo(URI.create("https://orders.test:8443/api/orders/7?x=1&y=a%20b"));
	}

	@Test
	void rebasePrefixesTheBackendBasePathOnce() {
		assertThat(BackendRoutingFilter.rebase(URI.create("http://legacy/api/orders"), URI.create("http://svc/base/")))
			.isEqualTo(URI.create("http://svc/base/api/orders"));
		assertThat(BackendRoutingFilter.rebase(URI.create("http://legacy/api/orders"), URI.create("http://svc/base")))
			.isEqualTo(URI.create("http://svc/base/api/orders"));
	}

	@Test
	void rebaseKeepsEncodedCharactersEncoded() {
		assertThat(BackendRoutingFilter.rebase(URI.create("http://legacy/files/a%2Fb%20c"), URI.create("http://svc"))
			.getRawPath()).isEqualTo("/files/a%2Fb%20c");
	}

}
