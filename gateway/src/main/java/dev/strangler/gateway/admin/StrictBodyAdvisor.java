package dev.strangler.gateway.admin;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;

/**
 * Rejects write requests to the admin API that carry fields the operation does not know
 * ({@code {"stgae":"canary"}}) with a 400 problem naming them. Actuator itself ignores
 * unknown body fields, which would turn a typo into a silent no-op or a change of the
 * wrong thing.
 */
final class StrictBodyAdvisor implements OperationInvokerAdvisor {

	private final EndpointId endpoint;

	StrictBodyAdvisor(EndpointId endpoint) {
		this.endpoint = endpoint;
	}

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		if (!this.endpoint.equals(endpointId) || operationType != OperationType.WRITE) {
			return invoker;
		}
		Set<String> known = parameters.stream()
			.filter((parameter) -> !SecurityContext.class.isAssignableFrom(parameter.getType()))
			.map(OperationParameter::getName)
			.collect(Collectors.toCollection(TreeSet::new));
		return new StrictInvoker(invoker, known);
	}

	@Override
	public String toString() {
		return "StrictBodyAdvisor[" + this.endpoint + "]";
	}

	/**
	 * Checks the argument names, then invokes the operation.
	 */
	private record StrictInvoker(OperationInvoker delegate, Set<String> known) implements OperationInvoker {

		@Override
		public Object invoke(InvocationContext context) {
			Set<String> unknown = new TreeSet<>(context.getArguments().keySet());
			unknown.removeAll(this.known);
			if (!unknown.isEmpty()) {
				String field = unknown.iterator().next();
				Set<String> accepted = new TreeSet<>(this.known);
				// Path segments are not body fields.
				accepted.removeAll(Set.of("id", "part"));
				return AdminProblem.badRequest(field,
						"unknown field, expected " + String.join(", ", accepted) + " (unknown: " + unknown + ")",
						"/actuator/" + MigrationEndpoint.ID + "/" + context.getArguments().get("id"));
			}
			return this.delegate.invoke(context);
		}

	}

}
