package dev.strangler.catalog.product;

import java.time.Clock;
import java.time.Instant;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Product reads, with the monolith's parameters, defaults and error bodies.
 */
@RestController
@RequestMapping("/api/products")
class ProductController {

	private final ProductRepository products;

	private final Clock clock;

	ProductController(ProductRepository products, Clock clock) {
		this.products = products;
		this.clock = clock;
	}

	@GetMapping
	ProductPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size,
			@RequestParam(required = false) String category, @RequestParam(defaultValue = "id,asc") String sort) {
		ProductQuery query = ProductQuery.of(page, size, category, sort);
		return ProductPage.of(this.products.findPage(query), query, this.products.count(query),
				Instant.now(this.clock));
	}

	@GetMapping("/{id}")
	Product get(@PathVariable long id) {
		return this.products.findById(id).orElseThrow(() -> new ProductNotFoundException(id));
	}

}
