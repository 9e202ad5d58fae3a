package dev.strangler.legacy.catalog;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.strangler.legacy.web.BadRequestException;
import dev.strangler.legacy.web.ResourceNotFoundException;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Catalog reads: product listing and details, categories.
 */
@Service
public class ProductService {

	static final int MAX_PAGE_SIZE = 100;

	private static final Set<String> SORT_FIELDS = Set.of("id", "name", "price");

	private final ProductRepository products;

	private final CategoryRepository categories;

	private final InventoryRepository inventory;

	private final Clock clock;

	ProductService(ProductRepository products, CategoryRepository categories, InventoryRepository inventory,
			Clock clock) {
		this.products = products;
		this.categories = categories;
		this.inventory = inventory;
		this.clock = clock;
	}

	/**
	 * Lists one page of products, optionally of one category.
	 * <p>
	 * This is deliberately the slow MVP implementation: one query for the page, one per
	 * lazy category and one stock lookup per product (N+1). It is the kind of hot spot
	 * that motivates extracting the catalog; catalog-service does it in one join. Do not
	 * "fix" it here: the sample monolith must behave like a real one.
	 */
	@Transactional(readOnly = true)
	public PageView<ProductView> listProducts(int page, int size, String category, String sort) {
		Pageable pageable = PageRequest.of(validPage(page), validSize(size), validSort(sort));
		Page<Product> result = (category != null) ? this.products.findByCategorySlug(category, pageable)
				: this.products.findAll(pageable);
		List<ProductView> content = result.getContent().stream().map(this::toView).toList();
		return new PageView<>(content, page, size, result.getTotalElements(), result.getTotalPages(),
				Instant.now(this.clock));
	}

	@Transactional(readOnly = true)
	public ProductView getProduct(long id) {
		return this.products.findById(id)
			.map(this::toView)
			.orElseThrow(() -> new ResourceNotFoundException("Product", id));
	}

	@Transactional(readOnly = true)
	public List<CategoryView> listCategories() {
		return this.categories.findAllByOrderByIdAsc().stream().map(CategoryView::from).toList();
	}

	private ProductView toView(Product product) {
		int stock = this.inventory.findById(product.getId()).map(Inventory::getQuantity).orElse(0);
		return new ProductView(product.getId(), product.getSku(), product.getName(), product.getDescription(),
				product.getPrice(), product.getCurrency(), stock, CategoryView.from(product.getCategory()));
	}

	private static int validPage(int page) {
		if (page < 0) {
			throw new BadRequestException("page must be greater than or equal to 0 (was " + page + ")");
		}
		return page;
	}

	private static int validSize(int size) {
		if (size < 1 || size > MAX_PAGE_SIZE) {
			throw new BadRequestException("size must be between 1 and " + MAX_PAGE_SIZE + " (was " + size + ")");
		}
		return size;
	}

	private static Sort validSort(String sort) {
		String[] parts = sort.split(",", -1);
		String field = parts[0];
		String direction = (parts.length > 1) ? parts[1] : "asc";
		if (parts.length > 2 || !SORT_FIELDS.contains(field)
				|| !(direction.equals("asc") || direction.equals("desc"))) {
			throw new BadRequestException(
					"sort must be <field>[,asc|desc] with field one of id, name, price (was '" + sort + "')");
		}
		Sort byField = Sort.by(Sort.Direction.fromString(direction), field);
		// Ties are broken by id ascending, so paging is stable.
		return field.equals("id") ? byField : byField.and(Sort.by("id"));
	}

}
