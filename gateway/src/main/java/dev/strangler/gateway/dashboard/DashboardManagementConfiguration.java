package dev.strangler.gateway.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The dashboard's web routes and static files, registered in the management server's
 * context: Spring Boot imports this class there because it is listed in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports}.
 *
 * <p>
 * Deliberately not annotated: as a {@code @Configuration} (which
 * {@code @ManagementContextConfiguration} is) the application's component scan would also
 * load it into the main context and serve the dashboard on the traffic port. A listed
 * class without the annotation is imported into whichever context serves the management
 * port (the main one when both ports are the same).
 */
class DashboardManagementConfiguration {

	@Bean
	RouterFunction<ServerResponse> dashboardRouterFunction(DashboardPages pages) {
		return DashboardRoutes.of(pages);
	}

	@Bean
	WebFluxConfigurer dashboardStaticResources() {
		return new WebFluxConfigurer() {

			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				registry.addResourceHandler(DashboardRoutes.BASE + "static/**")
					.addResourceLocations("classpath:/dashboard/static/");
			}

		};
	}

}
