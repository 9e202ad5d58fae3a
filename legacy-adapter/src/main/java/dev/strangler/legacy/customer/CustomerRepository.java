package dev.strangler.legacy.customer;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Customers.
 */
public interface CustomerRepository extends JpaRepository<Customer, Long> {

}
