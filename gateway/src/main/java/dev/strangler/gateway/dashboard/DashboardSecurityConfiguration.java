package dev.strangler.gateway.dashboard;

import java.net.URI;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Security of the dashboard, {@code /dashboard/**} on the management port: a login form
 * for the admin user of {@code strangler.admin.*} (the same user as the admin API), a
 * session held in a cookie scoped to {@code /dashboard/}, CSRF tokens on every form that
 * changes something, and headers that keep the pages from being framed or from loading
 * anything from elsewhere.
 *
 * <p>
 * A login form rather than HTTP Basic: a browser cannot forget Basic credentials (no
 * sign-out), and Basic comes with no CSRF protection of its own, while cookies come with
 * both here. The admin API keeps HTTP Basic, stateless, for scripts.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurityConfiguration {

	static final String LOGIN = DashboardRoutes.BASE + "login";

	/** Server namespace of Spring Boot's separate management server. */
	private static final String MANAGEMENT_NAMESPACE = "management";

	// Ahead of the admin API's chain: the two match disjoint requests, but the order
	// makes the precedence explicit.
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 100)
	SecurityWebFilterChain dashboardSecurityWebFilterChain(ServerHttpSecurity http, Environment environment) {
		boolean separatePort = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
		ServerWebExchangeMatcher dashboard = new AndServerWebExchangeMatcher(managementPort(separatePort),
				ServerWebExchangeMatchers.pathMatchers("/dashboard", "/dashboard/**"));
		return http.securityMatcher(dashboard)
			.authorizeExchange((exchanges) -> exchanges.pathMatchers(LOGIN, DashboardRoutes.BASE + "static/**")
				.permitAll()
				.anyExchange()
				.hasRole("ADMIN"))
			.formLogin((form) -> form.loginPage(LOGIN)
				.authenticationSuccessHandler(new RedirectServerAuthenticationSuccessHandler(DashboardRoutes.BASE))
				.authenticationFailureHandler(new RedirectServerAuthenticationFailureHandler(LOGIN + "?error")))
			.logout((logout) -> logout.logoutUrl(DashboardRoutes.BASE + "logout").logoutSuccessHandler(logoutSuccess()))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.headers((headers) -> headers
				.contentSecurityPolicy((csp) -> csp.policyDirectives("default-src 'self'; img-src 'self' data:; "
						+ "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"))
				.referrerPolicy((referrer) -> referrer
					.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.SAME_ORIGIN)))
			.build();
	}

	private static RedirectServerLogoutSuccessHandler logoutSuccess() {
		RedirectServerLogoutSuccessHandler handler = new RedirectServerLogoutSuccessHandler();
		handler.setLogoutSuccessUrl(URI.create(LOGIN + "?logout"));
		return handler;
	}

	/**
	 * Requests to the management server; every request when management shares the traffic
	 * port. The same test Spring Boot's {@code EndpointRequest} makes, so
	 * {@code /dashboard/} on the traffic port stays a path like any other, proxied to the
	 * monolith.
	 */
	private static ServerWebExchangeMatcher managementPort(boolean separatePort) {
		return (exchange) -> {
			ApplicationContext context = exchange.getApplicationContext();
			boolean management = !separatePort || (context != null
					&& WebServerApplicationContext.hasServerNamespace(context, MANAGEMENT_NAMESPACE));
			return management ? ServerWebExchangeMatcher.MatchResult.match()
					: ServerWebExchangeMatcher.MatchResult.notMatch();
		};
	}

}
