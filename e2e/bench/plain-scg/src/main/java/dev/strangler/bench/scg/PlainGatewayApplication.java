package dev.strangler.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway as it comes: the routes in {@code application.yml}, no filters, no
 * actuator. Whatever the Strangler Gateway costs beyond this is its own doing.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class PlainGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(PlainGatewayApplication.class, args);
	}

}
