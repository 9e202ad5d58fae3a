package dev.strangler.legacy.customer;

/**
 * JSON view of a customer.
 */
record CustomerView(Long id, String name, String email, String city) {

	static CustomerView from(Customer customer) {
		return new CustomerView(customer.getId(), customer.getName(), customer.getEmail(), customer.getCity());
	}

}
