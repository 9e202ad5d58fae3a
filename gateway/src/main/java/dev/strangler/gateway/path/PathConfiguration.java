package dev.strangler.gateway.path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One normalized path per request (docs/routes.md, "Path normalization").
 */
@Configuration(proxyBeanMethods = false)
class PathConfiguration {

	@Bean
	PathNormalizationFilter pathNormalizationFilter() {
		return new PathNormalizationFilter();
	}

}
