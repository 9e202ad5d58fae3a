package dev.strangler.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * orders-service: serves order and customer reads that were extracted from the legacy
 * shop, with exactly the monolith's JSON contract. Placing orders stays in the monolith.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class OrdersServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(OrdersServiceApplication.class, args);
	}

}
