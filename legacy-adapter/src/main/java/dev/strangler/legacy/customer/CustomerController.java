package dev.strangler.legacy.customer;

import dev.strangler.legacy.web.ResourceNotFoundException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customer lookups.
 */
@RestController
class CustomerController {

	private final CustomerRepository customers;

	CustomerController(CustomerRepository customers) {
		this.customers = customers;
	}

	@GetMapping("/api/customers/{id}")
	CustomerView getCustomer(@PathVariable long id) {
		return this.customers.findById(id)
			.map(CustomerView::from)
			.orElseThrow(() -> new ResourceNotFoundException("Customer", id));
	}

}
