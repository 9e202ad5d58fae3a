package dev.strangler.gateway.observe;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class SampledClientObservationFilterTests {

	private final SampledClientObservationFilter filter = new SampledClientObservationFilter(
			ObservationRegistry.create(), null);

	@Test
	void anUnsampledRequestPassesItsHeadersOnUntouchedAndStartsNoObservation() {
		MockServerWebExchange exchange = exchangeTraced(false);
		HttpHeaders input = exchange.getRequest().getHeaders();

		assertThat(this.filter.filter(input, exchange)).isSameAs(input);
		assertThat(exchange.getAttributes()).doesNotContainKey(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
	}

	@Test
	void aSampledRequestIsObserved() {
		MockServerWebExchange exchange = exchangeTraced(true);
		HttpHeaders input = exchange.getRequest().getHeaders();

		assertThat(this.filter.filter(input, exchange)).isNotSameAs(input).containsEntry("Accept", input.get("Accept"));
		assertThat(exchange.getAttributes()).containsKey(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
	}

	@Test
	void withoutTracingEveryRequestIsObserved() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));

		this.filter.filter(exchange.getRequest().getHeaders(), exchange);

		assertThat(exchange.getAttributes()).containsKey(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
	}

	private static MockServerWebExchange exchangeTraced(boolean sampled) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/api/products/1").header("Accept", "application/json"));
		ServerRequestObservationContext server = new ServerRequestObservationContext(exchange.getRequest(),
				exchange.getResponse(), exchange.getAttributes());
		TraceContext context = mock(TraceContext.class);
		when(context.sampled()).thenReturn(sampled);
		Span span = mock(Span.class);
		when(span.context()).thenReturn(context);
		TracingObservationHandler.TracingContext tracing = new TracingObservationHandler.TracingContext();
		tracing.setSpan(span);
		server.put(TracingObservationHandler.TracingContext.class, tracing);
		exchange.getAttributes().put(ServerRequestObservationContext.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE, server);
		return exchange;
	}

}
