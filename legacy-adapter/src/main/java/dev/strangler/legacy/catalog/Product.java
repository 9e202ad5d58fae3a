package dev.strangler.legacy.catalog;

import java.math.BigDecimal;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * A product of the shop. Its stock lives in {@link Inventory}, a separate table.
 */
@Entity
@Table(name = "products")
public class Product {

	@Id
	private Long id;

	private String sku;

	private String name;

	private String description;

	private BigDecimal price;

	private String currency;

	// Lazy on purpose: see ProductService#listProducts.
	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "category_id")
	private Category category;

	protected Product() {
	}

	public Long getId() {
		return this.id;
	}

	public String getSku() {
		return this.sku;
	}

	public String getName() {
		return this.name;
	}

	public String getDescription() {
		return this.description;
	}

	public BigDecimal getPrice() {
		return this.price;
	}

	public String getCurrency() {
		return this.currency;
	}

	public Category getCategory() {
		return this.category;
	}

}
