package dev.strangler.legacy.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A product category, addressed in URLs by its slug.
 */
@Entity
@Table(name = "categories")
public class Category {

	@Id
	private Long id;

	private String slug;

	private String name;

	protected Category() {
	}

	public Long getId() {
		return this.id;
	}

	public String getSlug() {
		return this.slug;
	}

	public String getName() {
		return this.name;
	}

}
