package dev.strangler.catalog.product;

import java.time.Instant;
import java.util.List;

/**
 * One page of the product listing, shaped like the monolith's (including
 * {@code generatedAt}, which route comparisons ignore).
 */
record ProductPage(List<Product> content, int page, int size, long totalElements, int totalPages, Instant generatedAt) {

	static ProductPage of(List<Product> content, ProductQuery query, long totalElements, Instant generatedAt) {
		int totalPages = (int) ((totalElements + query.size() - 1) / query.size());
		return new ProductPage(content, query.page(), query.size(), totalElements, totalPages, generatedAt);
	}

}
