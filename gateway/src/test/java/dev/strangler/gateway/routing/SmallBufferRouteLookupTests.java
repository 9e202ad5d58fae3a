package dev.strangler.gateway.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class SmallBufferRouteLookupTests {

	private final List<String> tested = new CopyOnWriteArrayList<>();

	@Test
	void theFirstMatchingRouteInTableOrderWinsAndLaterOnesAreNotTested() {
		SmallBufferRouteLookup lookup = lookupOver(routes(20, 3, 5));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/any"));

		assertThat(lookup.getHandler(exchange).block()).isNotNull();

		assertThat(routeOf(exchange)).isEqualTo("route-3");
		assertThat(this.tested).containsExactly("route-0", "route-1", "route-2", "route-3");
	}

	@Test
	void aMatchBeyondTheBufferIsFoundInTheNextBatch() {
		int beyond = SmallBufferRouteLookup.ROUTE_BUFFER * 3 + 1;
		SmallBufferRouteLookup lookup = lookupOver(routes(beyond + 2, beyond));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/any"));

		lookup.getHandler(exchange).block();

		assertThat(routeOf(exchange)).isEqualTo("route-" + beyond);
		assertThat(this.tested).hasSize(beyond + 1);
	}

	@Test
	void noMatchingRouteMeansNoHandler() {
		SmallBufferRouteLookup lookup = lookupOver(routes(12));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/any"));

		assertThat(lookup.getHandler(exchange).block()).isNull();
		assertThat(this.tested).hasSize(12);
		assertThat(exchange.getAttributes()).doesNotContainKey(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
	}

	private SmallBufferRouteLookup lookupOver(List<Route> routes) {
		return new SmallBufferRouteLookup(new FilteringWebHandler(List.of(), true), () -> Flux.fromIterable(routes),
				new GlobalCorsProperties(), new MockEnvironment());
	}

	/** {@code count} routes; those whose index is listed match, asynchronously. */
	private List<Route> routes(int count, int... matching) {
		return IntStream.range(0, count).mapToObj((index) -> {
			String id = "route-" + index;
			boolean matches = IntStream.of(matching).anyMatch((m) -> m == index);
			return Route.async().id(id).uri("http://127.0.0.1:1").asyncPredicate((exchange) -> {
				this.tested.add(id);
				return Mono.just(matches);
			}).build();
		}).toList();
	}

	private static String routeOf(MockServerWebExchange exchange) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		return (route != null) ? route.getId() : null;
	}

}
