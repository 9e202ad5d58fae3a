package dev.strangler.gateway.headers;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcOnlyRequestHeadersFilterTests {

	private final GrpcOnlyRequestHeadersFilter filter = new GrpcOnlyRequestHeadersFilter();

	@Test
	void aGrpcRequestGetsWhatSpringCloudGatewaysFilterGivesIt() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/svc.Greeter/Hello")
			.header(HttpHeaders.CONTENT_TYPE, "application/grpc+proto")
			.header("X-Request-Id", "1"));
		HttpHeaders input = exchange.getRequest().getHeaders();

		HttpHeaders ours = this.filter.filter(input, exchange);

		assertThat(ours).isEqualTo(new GRPCRequestHeadersFilter().filter(input, exchange))
			.containsEntry("te", java.util.List.of("trailers"));
	}

	@Test
	void anyOtherRequestPassesItsHeadersOnAsTheyAre() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/products/1")
			.header(HttpHeaders.CONTENT_TYPE, "application/json")
			.header("X-Request-Id", "1"));
		HttpHeaders input = exchange.getRequest().getHeaders();

		assertThat(this.filter.filter(input, exchange)).isSameAs(input)
			.isEqualTo(new GRPCRequestHeadersFilter().filter(input, exchange));
	}

	@Test
	void takesThePlaceOfSpringCloudGatewaysFilterOnly() {
		GrpcOnlyRequestHeadersFilter.Replacement replacement = new GrpcOnlyRequestHeadersFilter.Replacement();
		RemoveHopByHopHeadersFilter other = new RemoveHopByHopHeadersFilter();

		assertThat(
				replacement.postProcessBeforeInitialization(new GRPCRequestHeadersFilter(), "gRPCRequestHeadersFilter"))
			.isInstanceOf(GrpcOnlyRequestHeadersFilter.class);
		assertThat(replacement.postProcessBeforeInitialization(other, "removeHopByHopHeadersFilter")).isSameAs(other);
		assertThat(this.filter.getOrder()).isEqualTo(new GRPCRequestHeadersFilter().getOrder());
	}

}
