package dev.strangler.orders.order;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Order reads. Placing an order ({@code POST /api/orders}) stays in the monolith, which
 * owns stock; its route file claims only GET and HEAD.
 */
@RestController
class OrderController {

	private final OrderRepository orders;

	OrderController(OrderRepository orders) {
		this.orders = orders;
	}

	@GetMapping("/api/orders/{id}")
	Order get(@PathVariable long id) {
		return this.orders.findById(id)
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
					ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "Order " + id + " not found"), null));
	}

}
