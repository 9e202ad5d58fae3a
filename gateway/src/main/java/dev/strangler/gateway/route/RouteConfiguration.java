package dev.strangler.gateway.route;

import dev.strangler.gateway.config.StranglerProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * Loads the route files at start-up; an invalid file stops the gateway.
 */
@Configuration(proxyBeanMethods = false)
class RouteConfiguration {

	@Bean
	RouteFileLoader routeFileLoader(ResourceLoader resourceLoader, Environment environment,
			StranglerProperties properties) {
		return new RouteFileLoader(ResourcePatternUtils.getResourcePatternResolver(resourceLoader), environment,
				properties.legacy().uri());
	}

	@Bean
	RouteTableHolder routeTableHolder(RouteFileLoader loader, StranglerProperties properties) {
		return new RouteTableHolder(loader.load(properties.routes().location()));
	}

}
