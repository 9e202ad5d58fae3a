package dev.strangler.orders.customer;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class CustomerRepository {

	private final JdbcClient jdbc;

	CustomerRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Customer> findById(long id) {
		return this.jdbc.sql("SELECT id, name, email, city FROM customers WHERE id = :id")
			.param("id", id)
			.query(Customer.class)
			.optional();
	}

}
