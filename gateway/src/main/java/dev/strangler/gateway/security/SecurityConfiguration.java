package dev.strangler.gateway.security;

import dev.strangler.gateway.config.StranglerProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.autoconfigure.security.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Security that keeps the gateway transparent: the proxied traffic on the main port never
 * enters the security chain (no login, no CSRF, no added headers, no session, its
 * {@code Authorization} header left for the backend), while on the management port
 * health, info and prometheus are open and every other endpoint needs the admin.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Log logger = LogFactory.getLog(SecurityConfiguration.class);

	static final String ADMIN_ROLE = "ADMIN";

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		ProblemAuthenticationEntryPoint problems = new ProblemAuthenticationEntryPoint();
		return http
			// Only the actuator endpoints: proxied requests never enter the chain, so a
			// monolith's own Basic credentials reach it instead of being tried against
			// the admin user, and the traffic pays nothing for security it does not use.
			// Only management-port requests match when that port is separate:
			// EndpointRequest knows the port.
			.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeExchange((exchanges) -> exchanges.matchers(EndpointRequest.to("health", "info", "prometheus"))
				.permitAll()
				.anyExchange()
				.hasRole(ADMIN_ROLE))
			.httpBasic((basic) -> basic.authenticationEntryPoint(problems))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			// Proxied requests belong to the backends: their CSRF, caching and framing
			// rules must reach the client unchanged.
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.headers(ServerHttpSecurity.HeaderSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.build();
	}

	/**
	 * The admin user from {@code strangler.admin.*}; there is no default password, and
	 * without one nobody can authenticate (which also stops Spring Boot from generating
	 * one).
	 */
	@Bean
	ReactiveUserDetailsService adminUserDetailsService(StranglerProperties properties) {
		StranglerProperties.Admin admin = properties.admin();
		if (admin.password() == null || admin.password().isBlank()) {
			logger.info("No admin password set: the admin API refuses every call. "
					+ "Set strangler.admin.password (STRANGLER_ADMIN_PASSWORD) to enable it.");
			return new NoUserDetailsService();
		}
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		String password = AdminPassword.encoded(admin.password(), encoder);
		return new MapReactiveUserDetailsService(
				User.withUsername(admin.username()).password(password).roles(ADMIN_ROLE).build());
	}

}
