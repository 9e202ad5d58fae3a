package dev.strangler.legacy;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The legacy shop: the MVP monolith that the gateway strangles, one route at a time.
 */
@SpringBootApplication
public class LegacyShopApplication {

	public static void main(String[] args) {
		SpringApplication.run(LegacyShopApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
