package dev.strangler.gateway.dashboard;

import java.net.URI;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

/**
 * The dashboard's addresses, all under {@value #BASE} on the management port
 * (docs/dashboard.md).
 */
final class DashboardRoutes {

	static final String BASE = "/dashboard/";

	private DashboardRoutes() {
	}

	static RouterFunction<ServerResponse> of(DashboardPages pages) {
		return RouterFunctions.route()
			.GET("/dashboard", (request) -> ServerResponse.permanentRedirect(URI.create(BASE)).build())
			.add(RouterFunctions.route(GET(BASE), pages::board))
			.GET(BASE + "login", pages::login)
			.GET(BASE + "board/rows", pages::boardRows)
			.GET(BASE + "routes/{id}", pages::route)
			.GET(BASE + "routes/{id}/diff", pages::diff)
			.add(RouterFunctions.route(POST(BASE + "routes/{id}/override"), pages::setOverride))
			.POST(BASE + "routes/{id}/override/clear", pages::clearOverride)
			.POST(BASE + "routes/{id}/cache/evict", pages::evictCache)
			.build();
	}

}
