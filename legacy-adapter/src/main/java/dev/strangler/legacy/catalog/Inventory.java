package dev.strangler.legacy.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * How many units of a product are in stock.
 */
@Entity
@Table(name = "inventory")
public class Inventory {

	@Id
	@Column(name = "product_id")
	private Long productId;

	private int quantity;

	protected Inventory() {
	}

	public Long getProductId() {
		return this.productId;
	}

	public int getQuantity() {
		return this.quantity;
	}

}
