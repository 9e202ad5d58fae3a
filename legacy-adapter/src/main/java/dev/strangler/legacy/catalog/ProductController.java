package dev.strangler.legacy.catalog;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalog API: products and categories.
 */
@RestController
@RequestMapping("/api")
class ProductController {

	private final ProductService products;

	ProductController(ProductService products) {
		this.products = products;
	}

	@GetMapping("/products")
	PageView<ProductView> listProducts(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size, @RequestParam(required = false) String category,
			@RequestParam(defaultValue = "id,asc") String sort) {
		return this.products.listProducts(page, size, category, sort);
	}

	@GetMapping("/products/{id}")
	ProductView getProduct(@PathVariable long id) {
		return this.products.getProduct(id);
	}

	@GetMapping("/categories")
	List<CategoryView> listCategories() {
		return this.products.listCategories();
	}

}
