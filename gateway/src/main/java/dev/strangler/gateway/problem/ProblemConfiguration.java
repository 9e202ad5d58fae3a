package dev.strangler.gateway.problem;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Problem-detail rendering of the gateway's own errors.
 */
@Configuration(proxyBeanMethods = false)
class ProblemConfiguration {

	@Bean
	ProblemErrorHandler problemErrorHandler(ObjectMapper objectMapper) {
		return new ProblemErrorHandler(objectMapper);
	}

}
