package dev.strangler.catalog;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * catalog-service: serves the product catalog that was extracted from the legacy shop,
 * with exactly the monolith's JSON contract.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class CatalogServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(CatalogServiceApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
