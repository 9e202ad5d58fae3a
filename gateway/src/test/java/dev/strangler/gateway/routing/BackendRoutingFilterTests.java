package dev.strangler.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.rollout.BackendSelector;
import dev.strangler.gateway.rollout.StickyRequest;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.route.StickyKey;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

class BackendRoutingFilterTests {

	private static final ContextView NO_TIMEOUT = BackendResponseTimeout.of(null);

	private static final URI DEFAULT_LEGACY = URI.create("http://legacy.test:8081");

	private final List<StickyRequest> seen = new ArrayList<>();

	@Test
	void aReloadChangesWhichRouteClaimsARequestAndWhereItGoes() {
		RouteTableHolder routes = new RouteTableHolder(RouteTable
			.of(List.of(route("catalog", Stage.MIGRATED, "http://svc-a.test/base/", "/api/products/**"))));
		BackendRoutingFilter filter = new BackendRoutingFilter(routes, new RequestRouter(routes, stageSelector()),
				new BackendUrls(routes, DEFAULT_LEGACY), NO_TIMEOUT);

		ServerWebExchange before = route(filter, "/api/products/1?page=2");
		routes.replace(
				RouteTable.of(List.of(route("catalog-v2", Stage.MIGRATED, "http://svc-b.test", "/api/products/{id}"),
						route("orders", Stage.LEGACY, null, "/api/orders/**"))));
		ServerWebExchange after = route(filter, "/api/products/1?page=2");
		ServerWebExchange moved = route(filter, "/api/orders/7");
		routes.replace(RouteTable.EMPTY);
		ServerWebExchange unrouted = route(filter, "/api/products/1");

		assertThat(url(before)).isEqualTo(URI.create("http://svc-a.test/base/api/products/1?page=2"));
		assertThat(RoutingDecision.of(before).route().id()).isEqualTo("catalog");
		assertThat(url(after)).isEqualTo(URI.create("http://svc-b.test/api/products/1?page=2"));
		assertThat(RoutingDecision.of(after).route().id()).isEqualTo("catalog-v2");
		assertThat(url(moved)).isEqualTo(URI.create("http://legacy.test/api/orders/7"));
		assertThat(RoutingDecision.of(moved).backend()).isEqualTo(Backend.LEGACY);
		assertThat(url(unrouted)).isEqualTo(URI.create("http://legacy.test:8081/api/products/1"));
		assertThat(RoutingDecision.of(unrouted)).isNull();
	}

	@Test
	void theCatchAllRoutesUrlIsSetWithoutSpringCloudGatewaysRouteToRequestUrlFilter() {
		RouteTableHolder routes = new RouteTableHolder(RouteTable.EMPTY);
		BackendRoutingFilter filter = new BackendRoutingFilter(routes, new RequestRouter(routes, stageSelector()),
				new BackendUrls(routes, DEFAULT_LEGACY), NO_TIMEOUT);
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.GET,
				URI.create("http://gateway.test/api//a%2Fb?q=two%20words")));
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, catchAll());

		filter.filter(exchange, (filtered) -> Mono.empty()).block();

		assertThat(url(exchange)).isEqualTo(URI.create("http://legacy.test:8081/api//a%2Fb?q=two%20words"));
	}

	@Test
	void aRequestOfAnotherSpringCloudGatewayRouteGetsThatFiltersUrl() {
		RouteTableHolder routes = new RouteTableHolder(
				RouteTable.of(List.of(route("catalog", Stage.MIGRATED, "http://svc-a.test", "/api/products/**"))));
		BackendRoutingFilter filter = new BackendRoutingFilter(routes, new RequestRouter(routes, stageSelector()),
				new BackendUrls(routes, DEFAULT_LEGACY), NO_TIMEOUT);
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("http://gateway.test/api/products/1?page=2"));
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
					org.springframework.cloud.gateway.route.Route.async()
						.id("someone-elses")
						.uri(URI.create("http://other.test:9000"))
						.predicate((any) -> true)
						.build());

		filter.filter(exchange, (filtered) -> Mono.empty()).block();

		assertThat(url(exchange)).isEqualTo(URI.create("http://other.test:9000/api/products/1?page=2"));
		assertThat(RoutingDecision.of(exchange)).isNull();
	}

	@Test
	void aStageWhoseDecisionReadsNothingGetsNoViewOfTheRequest() {
		Route legacy = route("catalog", Stage.LEGACY, null, "/api/products/**");
		Route sticky = new Route("orders", "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/orders/**")), Set.of()),
				URI.create("http://legacy.test"), URI.create("http://svc.test"), Stage.CANARY,
				new Route.Rollout(Percent.parse("50"), StickyKey.parse("header:X-User-Id")), Route.Shadow.DEFAULT,
				Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
		RouteTableHolder table = new RouteTableHolder(RouteTable.of(List.of(legacy, sticky)));
		BackendRoutingFilter filter = new BackendRoutingFilter(table, new RequestRouter(table, stageSelector()),
				new BackendUrls(table, DEFAULT_LEGACY), NO_TIMEOUT);

		route(filter, "/api/products/1");
		route(filter, "/api/orders/1");

		assertThat(this.seen).hasSize(2);
		assertThat(this.seen.get(0)).isSameAs(StickyRequest.NONE);
		assertThat(this.seen.get(1)).isInstanceOf(ServerHttpStickyRequest.class);
	}

	/**
	 * Legacy for every stage but migrated; reads the request in canary with a sticky key
	 * only.
	 */
	private BackendSelector stageSelector() {
		return new BackendSelector() {

			@Override
			public Backend select(Route route, StickyRequest request) {
				BackendRoutingFilterTests.this.seen.add(request);
				return (route.stage() == Stage.MIGRATED) ? Backend.TARGET : Backend.LEGACY;
			}

			@Override
			public boolean readsRequest(Route route) {
				return route.stage() == Stage.CANARY && route.rollout().stickyBy() != null;
			}

		};
	}

	private static ServerWebExchange route(BackendRoutingFilter filter, String pathAndQuery) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("http://gateway.test" + pathAndQuery));
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, catchAll());
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, URI.create("http://legacy.test:8081" + pathAndQuery));
		filter.filter(exchange, (filtered) -> Mono.empty()).block();
		return exchange;
	}

	private static org.springframework.cloud.gateway.route.Route catchAll() {
		return org.springframework.cloud.gateway.route.Route.async()
			.id(LegacyRouteConfiguration.ROUTE_ID)
			.uri(DEFAULT_LEGACY)
			.predicate((any) -> true)
			.build();
	}

	private static URI url(ServerWebExchange exchange) {
		return exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
	}

	private static Route route(String id, Stage stage, String target, String pattern) {
		return new Route(id, "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse(pattern)), Set.of()),
				URI.create("http://legacy.test"), (target != null) ? URI.create(target) : null, stage,
				Route.Rollout.DEFAULT, Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

}
