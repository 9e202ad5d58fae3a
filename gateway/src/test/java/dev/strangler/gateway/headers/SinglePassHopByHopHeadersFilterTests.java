package dev.strangler.gateway.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class SinglePassHopByHopHeadersFilterTests {

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));

	@Test
	void requestHeadersAsTheServerReadsThemComeOutAsSpringCloudGatewaysFilterGivesThem() {
		DefaultHttpHeaders wire = new DefaultHttpHeaders();
		wire.add("Host", "127.0.0.1");
		wire.add("Connection", "keep-alive, X-Hop");
		wire.add("Keep-Alive", "timeout=5");
		wire.add("X-Hop", "dropped: named by Connection");
		wire.add("Accept", "application/json");
		wire.add("accept", "text/plain");
		wire.add("TE", "trailers");
		wire.add("Proxy-Authorization", "Basic x");
		wire.add("X-Request-Id", "1");
		wire.add("Upgrade", "h2c");
		wire.add("Transfer-Encoding", "chunked");
		HttpHeaders input = HttpHeaders.readOnlyHttpHeaders(new HttpHeaders(new Netty4HeadersAdapter(wire)));

		assertThat(entries(filter().filter(input, this.exchange)))
			.isEqualTo(entries(new RemoveHopByHopHeadersFilter().filter(input, this.exchange)))
			.containsExactly("Host=[127.0.0.1]", "Accept=[application/json, text/plain]", "X-Request-Id=[1]");
	}

	@Test
	void responseHeadersAsTheClientCopiedThemComeOutTheSame() {
		HttpHeaders input = new HttpHeaders();
		input.add("Content-Type", "application/json");
		input.add("Transfer-Encoding", "chunked");
		input.add("Set-Cookie", "a=1");
		input.add("Set-Cookie", "b=2");
		input.add("connection", "close");
		input.add("Trailer", "Expires");

		assertThat(entries(filter().filter(input, this.exchange)))
			.isEqualTo(entries(new RemoveHopByHopHeadersFilter().filter(input, this.exchange)))
			.containsExactly("Content-Type=[application/json]", "Set-Cookie=[a=1, b=2]");
	}

	@Test
	void configuredNamesAndOrderAreHonoured() {
		RemoveHopByHopHeadersFilter configured = new RemoveHopByHopHeadersFilter();
		configured.setHeaders(Set.of("X-Internal", "connection"));
		configured.setOrder(42);
		HttpHeaders input = new HttpHeaders();
		input.add("x-internal", "secret");
		input.add("Keep-Alive", "timeout=5");
		input.add("Accept", "*/*");

		SinglePassHopByHopHeadersFilter filter = new SinglePassHopByHopHeadersFilter(configured);

		assertThat(filter.getOrder()).isEqualTo(42);
		assertThat(entries(filter.filter(input, this.exchange)))
			.isEqualTo(entries(configured.filter(input, this.exchange)))
			.containsExactly("Keep-Alive=[timeout=5]", "Accept=[*/*]");
	}

	@Test
	void theOutputIsACopyLaterFiltersMayChange() {
		HttpHeaders input = new HttpHeaders();
		input.add("Accept", "*/*");

		HttpHeaders output = filter().filter(input, this.exchange);
		output.add("Accept", "text/plain");

		assertThat(input.get("Accept")).containsExactly("*/*");
	}

	@Test
	void takesThePlaceOfSpringCloudGatewaysFilterOnly() {
		SinglePassHopByHopHeadersFilter.Replacement replacement = new SinglePassHopByHopHeadersFilter.Replacement();
		GRPCRequestHeadersFilter other = new GRPCRequestHeadersFilter();

		assertThat(replacement.postProcessBeforeInitialization(new RemoveHopByHopHeadersFilter(),
				"removeHopByHopHeadersFilter"))
			.isInstanceOf(SinglePassHopByHopHeadersFilter.class);
		assertThat(replacement.postProcessBeforeInitialization(other, "gRPCRequestHeadersFilter")).isSameAs(other);
	}

	private static SinglePassHopByHopHeadersFilter filter() {
		return new SinglePassHopByHopHeadersFilter(new RemoveHopByHopHeadersFilter());
	}

	/** Name (as first written), values, in order: what a backend or client would see. */
	private static List<String> entries(HttpHeaders headers) {
		List<String> entries = new ArrayList<>();
		for (Map.Entry<String, List<String>> entry : headers.headerSet()) {
			entries.add(entry.getKey() + "=" + entry.getValue());
		}
		return entries;
	}

}
