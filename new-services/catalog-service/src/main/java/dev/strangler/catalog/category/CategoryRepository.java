package dev.strangler.catalog.category;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class CategoryRepository {

	private final JdbcClient jdbc;

	CategoryRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<Category> findAll() {
		return this.jdbc.sql("SELECT id, slug, name FROM categories ORDER BY id").query(Category.class).list();
	}

}
