package dev.strangler.legacy.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * JSON view of an order with its lines.
 */
record OrderView(Long id, Long customerId, String status, Instant createdAt, List<Line> lines, BigDecimal total,
		String currency) {

	static OrderView from(ShopOrder order) {
		List<Line> lines = order.getLines()
			.stream()
			.map((line) -> new Line(line.getProduct().getId(), line.getProduct().getSku(), line.getProduct().getName(),
					line.getQuantity(), line.getUnitPrice(), line.getLineTotal()))
			.toList();
		return new OrderView(order.getId(), order.getCustomerId(), order.getStatus(), order.getCreatedAt(), lines,
				order.getTotal(), "EUR");
	}

	record Line(Long productId, String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {

	}

}
