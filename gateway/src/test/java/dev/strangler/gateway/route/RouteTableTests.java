package dev.strangler.gateway.route;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTests {

	private final RouteTable table = RouteTable.of(List.of(route("products", Set.of(), "/api/products/**"),
			route("product-detail", Set.of(HttpMethod.GET), "/api/products/{id}"),
			route("product-reviews", Set.of(), "/api/products/{id}/reviews", "/api/reviews"),
			route("everything", Set.of(), "/**")));

	@Test
	void mostSpecificPatternWins() {
		assertThat(matchedId("/api/products/42", HttpMethod.GET)).isEqualTo("product-detail");
		assertThat(matchedId("/api/products/42/reviews", HttpMethod.GET)).isEqualTo("product-reviews");
		assertThat(matchedId("/api/products/42/pictures", HttpMethod.GET)).isEqualTo("products");
		assertThat(matchedId("/elsewhere", HttpMethod.GET)).isEqualTo("everything");
	}

	@Test
	void aRouteThatDoesNotClaimTheMethodIsSkipped() {
		assertThat(matchedId("/api/products/42", HttpMethod.DELETE)).isEqualTo("products");
	}

	@Test
	void anyOfARoutesPatternsMatches() {
		assertThat(matchedId("/api/reviews", HttpMethod.POST)).isEqualTo("product-reviews");
	}

	@Test
	void reportsTheMatchedPattern() {
		assertThat(this.table.match("/api/products/42", HttpMethod.GET).orElseThrow().pattern().getPatternString())
			.isEqualTo("/api/products/{id}");
	}

	@Test
	void noRouteMatchesInAnEmptyTable() {
		assertThat(RouteTable.EMPTY.match("/api/products", HttpMethod.GET)).isEmpty();
	}

	@Test
	void aRequestNoPatternMatchesIsUnclaimed() {
		RouteTable catalogOnly = RouteTable.of(List.of(route("products", Set.of(), "/api/products/**")));
		assertThat(catalogOnly.match("/api/orders/1", HttpMethod.GET)).isEmpty();
		assertThat(catalogOnly.match("/api/products", HttpMethod.GET)).isPresent();
	}

	@Test
	void holderSwapsWholeTables() {
		RouteTableHolder holder = new RouteTableHolder(RouteTable.EMPTY);
		RouteTable previous = holder.replace(this.table);
		assertThat(previous).isSameAs(RouteTable.EMPTY);
		assertThat(holder.current()).isSameAs(this.table);
	}

	private String matchedId(String path, HttpMethod method) {
		return this.table.match(path, method).orElseThrow().route().id();
	}

	private static Route route(String id, Set<HttpMethod> methods, String... paths) {
		Route.Match match = new Route.Match(Arrays.stream(paths).map(PathPatternParser.defaultInstance::parse).toList(),
				methods);
		return new Route(id, "", "test.yml", match, URI.create("http://legacy.test"), null, Stage.LEGACY,
				Route.Rollout.DEFAULT, Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

}
