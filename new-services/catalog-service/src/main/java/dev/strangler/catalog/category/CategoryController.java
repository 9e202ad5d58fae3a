package dev.strangler.catalog.category;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CategoryController {

	private final CategoryRepository categories;

	CategoryController(CategoryRepository categories) {
		this.categories = categories;
	}

	@GetMapping("/api/categories")
	List<Category> categories() {
		return this.categories.findAll();
	}

}
