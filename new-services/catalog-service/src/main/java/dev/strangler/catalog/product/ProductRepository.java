package dev.strangler.catalog.product;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import dev.strangler.catalog.category.Category;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Products with their stock and category, read in one joined query per page (plus one
 * count): the monolith needed 1 + N + categories queries for the same page.
 */
@Repository
class ProductRepository {

	private static final String SELECT = """
			SELECT p.id, p.sku, p.name, p.description, p.price, p.currency,
			       COALESCE(i.quantity, 0) AS stock,
			       c.id AS category_id, c.slug AS category_slug, c.name AS category_name
			FROM products p
			JOIN categories c ON c.id = p.category_id
			LEFT JOIN inventory i ON i.product_id = p.id
			""";

	private final JdbcClient jdbc;

	ProductRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<Product> findPage(ProductQuery query) {
		String where = (query.category() != null) ? "WHERE c.slug = :category " : "";
		return this.jdbc.sql(SELECT + where + "ORDER BY " + query.sort().orderBy() + " LIMIT :limit OFFSET :offset")
			.param("category", query.category())
			.param("limit", query.size())
			.param("offset", query.offset())
			.query(ProductRepository::product)
			.list();
	}

	long count(ProductQuery query) {
		if (query.category() == null) {
			return this.jdbc.sql("SELECT COUNT(*) FROM products").query(Long.class).single();
		}
		return this.jdbc
			.sql("SELECT COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE c.slug = :category")
			.param("category", query.category())
			.query(Long.class)
			.single();
	}

	Optional<Product> findById(long id) {
		return this.jdbc.sql(SELECT + "WHERE p.id = :id").param("id", id).query(ProductRepository::product).optional();
	}

	private static Product product(ResultSet rs, int row) throws SQLException {
		Category category = new Category(rs.getLong("category_id"), rs.getString("category_slug"),
				rs.getString("category_name"));
		return new Product(rs.getLong("id"), rs.getString("sku"), rs.getString("name"), rs.getString("description"),
				rs.getBigDecimal("price"), rs.getString("currency"), rs.getInt("stock"), category);
	}

}
