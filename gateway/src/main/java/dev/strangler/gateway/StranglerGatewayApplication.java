package dev.strangler.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Strangler Gateway: routes every request to the legacy monolith unless a route file
 * moves it, stage by stage, to an extracted service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StranglerGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(StranglerGatewayApplication.class, args);
	}

}
