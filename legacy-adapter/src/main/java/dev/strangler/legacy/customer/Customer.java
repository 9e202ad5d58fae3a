package dev.strangler.legacy.customer;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A registered customer of the shop.
 */
@Entity
@Table(name = "customers")
public class Customer {

	@Id
	private Long id;

	private String name;

	private String email;

	private String city;

	protected Customer() {
	}

	public Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public String getEmail() {
		return this.email;
	}

	public String getCity() {
		return this.city;
	}

}
