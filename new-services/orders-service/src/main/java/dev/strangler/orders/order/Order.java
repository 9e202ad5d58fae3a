package dev.strangler.orders.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order with its lines, shaped like the monolith's: component order, the {@code EUR}
 * currency and two-decimal amounts ({@code 82.00}, not {@code 82}) are part of the
 * contract.
 *
 * @param id the order id
 * @param customerId who placed it
 * @param status {@code PLACED}, {@code PAID}, {@code SHIPPED}, {@code DELIVERED} or
 * {@code CANCELLED}
 * @param createdAt when it was placed
 * @param lines its lines, in the order they were added
 * @param total the sum of the line totals
 * @param currency always {@code EUR}
 */
record Order(long id, long customerId, String status, Instant createdAt, List<Line> lines, BigDecimal total,
		String currency) {

	static final String CURRENCY = "EUR";

	Order {
		lines = List.copyOf(lines);
	}

	/**
	 * One product of an order, at the unit price it had when the order was placed.
	 *
	 * @param productId the product id
	 * @param sku its SKU
	 * @param name its name
	 * @param quantity how many
	 * @param unitPrice the price of one
	 * @param lineTotal {@code unitPrice × quantity}
	 */
	record Line(long productId, String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {

		static Line of(long productId, String sku, String name, int quantity, BigDecimal unitPrice) {
			return new Line(productId, sku, name, quantity, unitPrice,
					unitPrice.multiply(BigDecimal.valueOf(quantity)));
		}

	}

}
