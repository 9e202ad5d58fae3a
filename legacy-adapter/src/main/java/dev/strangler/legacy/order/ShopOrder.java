package dev.strangler.legacy.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

/**
 * An order placed by a customer. ("Order" is a reserved word in SQL and JPQL.)
 */
@Entity
@Table(name = "orders")
public class ShopOrder {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "customer_id")
	private Long customerId;

	private String status;

	@Column(name = "created_at")
	private Instant createdAt;

	private BigDecimal total;

	@OneToMany(mappedBy = "order", cascade = CascadeType.ALL)
	@OrderBy("id")
	private List<OrderLine> lines = new ArrayList<>();

	protected ShopOrder() {
	}

	ShopOrder(Long customerId, String status, Instant createdAt) {
		this.customerId = customerId;
		this.status = status;
		this.createdAt = createdAt;
		this.total = BigDecimal.ZERO.setScale(2);
	}

	void addLine(OrderLine line) {
		this.lines.add(line);
		this.total = this.total.add(line.getLineTotal());
	}

	public Long getId() {
		return this.id;
	}

	public Long getCustomerId() {
		return this.customerId;
	}

	public String getStatus() {
		return this.status;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public BigDecimal getTotal() {
		return this.total;
	}

	public List<OrderLine> getLines() {
		return this.lines;
	}

}
