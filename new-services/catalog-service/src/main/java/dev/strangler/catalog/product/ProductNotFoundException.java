package dev.strangler.catalog.product;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A 404 problem: "Product 9999 not found".
 */
class ProductNotFoundException extends ErrorResponseException {

	ProductNotFoundException(long id) {
		super(HttpStatus.NOT_FOUND,
				ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "Product " + id + " not found"), null);
	}

}
