package dev.strangler.gateway.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.util.MimeType;

/**
 * RFC 9457 problem responses of the admin API, served as
 * {@code application/problem+json}.
 *
 * <pre class="code">
 * return AdminProblem.badRequest("percent", "must be between 0 and 100 (was 150)", instance);
 * </pre>
 *
 * A plain map rather than Spring's {@code ProblemDetail}: actuator endpoints serialize
 * with their own object mapper, which lacks the mixin that flattens {@code ProblemDetail}
 * properties, and clients expect {@code field} at the top level as RFC 9457 extension
 * members are.
 */
final class AdminProblem {

	static final MimeType PROBLEM_JSON = MimeType.valueOf("application/problem+json");

	private AdminProblem() {
	}

	/**
	 * A 400 naming the offending field of the request body.
	 * @param field the field, or {@code body} for the body as a whole
	 * @param detail what is wrong with it
	 * @param instance the request path
	 * @return the response
	 */
	static WebEndpointResponse<Object> badRequest(String field, String detail, String instance) {
		Map<String, Object> problem = problem(HttpStatus.BAD_REQUEST, field + ": " + detail, instance);
		problem.put("field", field);
		return new WebEndpointResponse<>(problem, HttpStatus.BAD_REQUEST.value(), PROBLEM_JSON);
	}

	/**
	 * A problem without a field.
	 * @param status the status
	 * @param detail what went wrong
	 * @param instance the request path
	 * @return the response
	 */
	static WebEndpointResponse<Object> of(HttpStatus status, String detail, String instance) {
		return new WebEndpointResponse<>(problem(status, detail, instance), status.value(), PROBLEM_JSON);
	}

	/**
	 * A 404 for a route id no route file defines.
	 * @param routeId the id asked for
	 * @param instance the request path
	 * @return the response
	 */
	static WebEndpointResponse<Object> unknownRoute(String routeId, String instance) {
		Map<String, Object> problem = problem(HttpStatus.NOT_FOUND, "No route '" + routeId + "' in the route files",
				instance);
		problem.put("route", routeId);
		return new WebEndpointResponse<>(problem, HttpStatus.NOT_FOUND.value(), PROBLEM_JSON);
	}

	static Map<String, Object> problem(HttpStatus status, String detail, String instance) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", instance);
		return problem;
	}

}
