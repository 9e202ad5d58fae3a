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
	GatewayProblems gatewayProblems(ObjectMapper objectMapper) {
		return new GatewayProblems(objectMapper);
	}

	@Bean
	ProblemErrorHandler problemErrorHandler(GatewayProblems problems) {
		return new ProblemErrorHandler(problems);
	}

}
