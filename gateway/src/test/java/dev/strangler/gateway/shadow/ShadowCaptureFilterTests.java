package dev.strangler.gateway.shadow;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.route.Stage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Legacy's response is tapped only while a route mirrors: the legacy stage pays nothing
 * for shadowing.
 */
class ShadowCaptureFilterTests {

	private final RouteTableHolder routes = new RouteTableHolder(RouteTable.of(List.of(route(Stage.LEGACY))));

	private final ShadowCaptureFilter filter = new ShadowCaptureFilter(this.routes);

	@Test
	void whileNoRouteMirrorsTheExchangeIsPassedOnUntouched() {
		MockServerWebExchange exchange = exchange();

		ServerWebExchange passed = filterOnce(exchange);

		assertThat(passed).isSameAs(exchange);
		assertThat(LegacyResponseTap.isOn(exchange)).isFalse();
	}

	@Test
	void onceARouteMirrorsLegacysResponseIsTapped() {
		filterOnce(exchange());
		this.routes.replace(RouteTable.of(List.of(route(Stage.SHADOW))));
		MockServerWebExchange exchange = exchange();

		ServerWebExchange passed = filterOnce(exchange);

		assertThat(passed.getResponse()).isInstanceOf(LegacyResponseTap.class);
		assertThat(LegacyResponseTap.isOn(exchange)).isTrue();
	}

	private ServerWebExchange filterOnce(ServerWebExchange exchange) {
		AtomicReference<ServerWebExchange> passed = new AtomicReference<>();
		GatewayFilterChain chain = (next) -> {
			passed.set(next);
			return Mono.empty();
		};
		this.filter.filter(exchange, chain).block();
		return passed.get();
	}

	private static MockServerWebExchange exchange() {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/api/products/1"));
	}

	private static Route route(Stage stage) {
		return new Route("catalog", "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/products/**")), Set.of()),
				URI.create("http://legacy"), URI.create("http://target"), stage, Route.Rollout.DEFAULT,
				Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

}
