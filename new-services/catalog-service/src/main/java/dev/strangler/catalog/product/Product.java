package dev.strangler.catalog.product;

import java.math.BigDecimal;
import java.math.RoundingMode;

import dev.strangler.catalog.category.Category;

/**
 * A product with its stock and category. Component order, and the price's two decimals
 * ({@code 12.50}, not {@code 12.5}), are part of the contract shared with the monolith.
 */
record Product(long id, String sku, String name, String description, BigDecimal price, String currency, int stock,
		Category category) {

	Product {
		price = price.setScale(2, RoundingMode.UNNECESSARY);
	}

}
