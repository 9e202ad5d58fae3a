package dev.strangler.legacy.order;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An order that cannot be placed: 422 for unknown customers or products, 409 when stock
 * is insufficient.
 */
class OrderProblemException extends ErrorResponseException {

	private OrderProblemException(HttpStatus status, String detail) {
		super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	static OrderProblemException unknown(String resource, Long id) {
		return new OrderProblemException(HttpStatus.UNPROCESSABLE_ENTITY, resource + " " + id + " not found");
	}

	static OrderProblemException insufficientStock(Long productId, int requested, int available) {
		return new OrderProblemException(HttpStatus.CONFLICT, "Insufficient stock for product " + productId
				+ ": requested " + requested + ", available " + available);
	}

}
