package dev.strangler.legacy.catalog;

/**
 * JSON view of a category. Field order is part of the public contract.
 */
public record CategoryView(Long id, String slug, String name) {

	static CategoryView from(Category category) {
		return new CategoryView(category.getId(), category.getSlug(), category.getName());
	}

}
