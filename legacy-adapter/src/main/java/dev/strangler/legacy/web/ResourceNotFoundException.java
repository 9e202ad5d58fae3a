package dev.strangler.legacy.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A 404 problem for a resource that does not exist, e.g. "Product 9999 not found".
 */
public class ResourceNotFoundException extends ErrorResponseException {

	public ResourceNotFoundException(String resource, Object id) {
		super(HttpStatus.NOT_FOUND,
				ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, resource + " " + id + " not found"), null);
	}

}
