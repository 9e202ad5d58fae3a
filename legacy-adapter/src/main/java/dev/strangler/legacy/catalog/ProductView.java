package dev.strangler.legacy.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * JSON view of a product. Field order and the price's two decimals are part of the public
 * contract (catalog-service serves the same bytes).
 */
public record ProductView(Long id, String sku, String name, String description, BigDecimal price, String currency,
		int stock, CategoryView category) {

	public ProductView {
		price = price.setScale(2, RoundingMode.UNNECESSARY);
	}

}
