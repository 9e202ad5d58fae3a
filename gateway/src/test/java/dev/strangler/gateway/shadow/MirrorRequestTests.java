package dev.strangler.gateway.shadow;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class MirrorRequestTests {

	@Test
	void keepsEndToEndHeadersAndDropsHopByHopOnes() {
		MirrorRequest request = MirrorRequest.of(MockServerHttpRequest.get("http://gateway/api/products")
			.header("Accept", "application/json")
			.header("Authorization", "Bearer abc")
			.header("Connection", "keep-alive, X-Hop")
			.header("X-Hop", "1")
			.header("Keep-Alive", "timeout=5")
			.header("Transfer-Encoding", "chunked")
			.header("Upgrade", "h2c")
			.header("Host", "gateway")
			.header("X-Strangler-Backend", "target")
			.build());

		HttpHeaders headers = request.headers();
		assertThat(headers.toSingleValueMap()).containsOnlyKeys("Accept", "Authorization");
	}

	@Test
	void sendsTheDecidedForwardingHeadersInsteadOfThoseTheClientSent() {
		HttpHeaders forwarding = new HttpHeaders();
		forwarding.add("X-Forwarded-For", "127.0.0.1");
		forwarding.add("X-Forwarded-Proto", "http");

		MirrorRequest request = MirrorRequest.of(MockServerHttpRequest.get("http://gateway/api/products")
			.header("Accept", "application/json")
			.header("X-Forwarded-For", "203.0.113.9")
			.header("x-forwarded-host", "spoofed.example")
			.header("Forwarded", "for=203.0.113.9")
			.build(), forwarding);

		assertThat(request.headers().toSingleValueMap()).containsOnly(entry("Accept", "application/json"),
				entry("X-Forwarded-For", "127.0.0.1"), entry("X-Forwarded-Proto", "http"));
	}

	@Test
	void pathAndQueryStayEncodedExactlyAsSent() {
		MirrorRequest request = MirrorRequest.of(MockServerHttpRequest
			.method(HttpMethod.GET, URI.create("http://gateway/api/products/a%2Fb?q=two%20words&x=1"))
			.build());

		assertThat(request.pathWithQuery()).isEqualTo("/api/products/a%2Fb?q=two%20words&x=1");
		assertThat(request.on(URI.create("http://target:8082/svc/")))
			.isEqualTo(URI.create("http://target:8082/svc/api/products/a%2Fb?q=two%20words&x=1"));
	}

	@Test
	void targetWithoutBasePathGetsThePathAsIs() {
		MirrorRequest request = MirrorRequest.of(MockServerHttpRequest.get("http://gateway/api/products").build());

		assertThat(request.on(URI.create("http://target:8082")))
			.isEqualTo(URI.create("http://target:8082/api/products"));
	}

	@Test
	void toStringNeverShowsHeaders() {
		MirrorRequest request = MirrorRequest
			.of(MockServerHttpRequest.get("http://gateway/api/products").header("Authorization", "Bearer abc").build());

		assertThat(request.toString()).isEqualTo("MirrorRequest[GET /api/products]").doesNotContain("Bearer");
	}

}
