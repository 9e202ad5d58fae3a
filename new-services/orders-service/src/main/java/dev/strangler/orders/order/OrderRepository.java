package dev.strangler.orders.order;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Orders with their lines: two queries per order, where the monolith's lazy loading
 * needed one per line and product.
 */
@Repository
class OrderRepository {

	private final JdbcClient jdbc;

	OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Order> findById(long id) {
		return this.jdbc.sql("SELECT id, customer_id, status, created_at, total FROM orders WHERE id = :id")
			.param("id", id)
			.query((rs, row) -> new Order(rs.getLong("id"), rs.getLong("customer_id"), rs.getString("status"),
					rs.getObject("created_at", OffsetDateTime.class).toInstant(), lines(id), rs.getBigDecimal("total"),
					Order.CURRENCY))
			.optional();
	}

	private List<Order.Line> lines(long orderId) {
		return this.jdbc.sql("""
				SELECT l.product_id, p.sku, p.name, l.quantity, l.unit_price
				FROM order_lines l
				JOIN products p ON p.id = l.product_id
				WHERE l.order_id = :orderId
				ORDER BY l.id
				""")
			.param("orderId", orderId)
			.query((rs, row) -> Order.Line.of(rs.getLong("product_id"), rs.getString("sku"), rs.getString("name"),
					rs.getInt("quantity"), rs.getBigDecimal("unit_price")))
			.list();
	}

}
