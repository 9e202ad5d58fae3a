package dev.strangler.legacy.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.strangler.legacy.catalog.Inventory;
import dev.strangler.legacy.catalog.InventoryRepository;
import dev.strangler.legacy.catalog.Product;
import dev.strangler.legacy.catalog.ProductRepository;
import dev.strangler.legacy.customer.CustomerRepository;
import dev.strangler.legacy.web.ResourceNotFoundException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places and reads orders.
 */
@Service
class OrderService {

	private final OrderRepository orders;

	private final CustomerRepository customers;

	private final ProductRepository products;

	private final InventoryRepository inventory;

	private final Clock clock;

	OrderService(OrderRepository orders, CustomerRepository customers, ProductRepository products,
			InventoryRepository inventory, Clock clock) {
		this.orders = orders;
		this.customers = customers;
		this.products = products;
		this.inventory = inventory;
		this.clock = clock;
	}

	/**
	 * Places an order and takes its products out of stock, all or nothing: any failure
	 * rolls back every decrement already made.
	 */
	@Transactional
	OrderView placeOrder(CreateOrderRequest request) {
		if (!this.customers.existsById(request.customerId())) {
			throw OrderProblemException.unknown("Customer", request.customerId());
		}
		// Stored with microsecond precision, so the 201 body equals a later GET.
		Instant now = Instant.now(this.clock).truncatedTo(ChronoUnit.MICROS);
		ShopOrder order = new ShopOrder(request.customerId(), "PLACED", now);
		for (CreateOrderRequest.Line requested : request.lines()) {
			Product product = this.products.findById(requested.productId())
				.orElseThrow(() -> OrderProblemException.unknown("Product", requested.productId()));
			if (this.inventory.decrement(product.getId(), requested.quantity()) == 0) {
				int available = this.inventory.findById(product.getId()).map(Inventory::getQuantity).orElse(0);
				throw OrderProblemException.insufficientStock(product.getId(), requested.quantity(), available);
			}
			order.addLine(new OrderLine(order, product, requested.quantity()));
		}
		return OrderView.from(this.orders.save(order));
	}

	@Transactional(readOnly = true)
	OrderView getOrder(long id) {
		return this.orders.findById(id)
			.map(OrderView::from)
			.orElseThrow(() -> new ResourceNotFoundException("Order", id));
	}

}
