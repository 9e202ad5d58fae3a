package dev.strangler.gateway.routing;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackendUrlTests {

	@Test
	void rebaseMovesTheRequestOntoTheBackendKeepingPathAndQuery() {
		assertThat(BackendUrl.rebase(URI.create("https://orders.test:8443"), "/api/orders/7", "x=1&y=a%20b"))
			.isEqualTo(URI.create("https://orders.test:8443/api/orders/7?x=1&y=a%20b"));
	}

	@Test
	void rebasePrefixesTheBackendBasePathOnce() {
		assertThat(BackendUrl.rebase(URI.create("http://svc/base/"), "/api/orders", null))
			.isEqualTo(URI.create("http://svc/base/api/orders"));
		assertThat(BackendUrl.rebase(URI.create("http://svc/base"), "/api/orders", null))
			.isEqualTo(URI.create("http://svc/base/api/orders"));
	}

	@Test
	void rebaseKeepsEncodedCharactersEncoded() {
		assertThat(BackendUrl.rebase(URI.create("http://svc"), "/files/a%2Fb%20c", "q=a%26b").toString())
			.isEqualTo("http://svc/files/a%2Fb%20c?q=a%26b");
	}

	@Test
	void rebaseOfARequestWithoutPathGoesToTheBackendBase() {
		assertThat(BackendUrl.rebase(URI.create("http://svc/base/"), null, null))
			.isEqualTo(URI.create("http://svc/base"));
	}

	@Test
	void rebaseKeepsTheBackendUserInfoAndPort() {
		assertThat(BackendUrl.rebase(URI.create("http://user:p%40ss@svc:8080"), "/a", null))
			.isEqualTo(URI.create("http://user:p%40ss@svc:8080/a"));
	}

	@Test
	void thePrefixRenderedOncePerTableJoinsLikeARebase() {
		URI backend = URI.create("http://svc:8080/base/");

		assertThat(BackendUrl.join(BackendUrl.prefix(backend), "/api/x", "a=1"))
			.isEqualTo(BackendUrl.rebase(backend, "/api/x", "a=1"))
			.isEqualTo(URI.create("http://svc:8080/base/api/x?a=1"));
	}

}
