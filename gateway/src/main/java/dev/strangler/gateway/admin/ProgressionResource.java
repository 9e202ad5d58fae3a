package dev.strangler.gateway.admin;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.strangler.gateway.progression.ProgressionController;
import dev.strangler.gateway.progression.ProgressionMachine;
import dev.strangler.gateway.state.Actor;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

/**
 * {@code POST /actuator/migration/{id}/progression/{action}}, action one of
 * {@code pause}, {@code resume}, {@code skip}, {@code abort}: an operator's command on a
 * route's progression (docs/progressive-delivery.md). One resource of its own rather than
 * one more selector on the migration endpoint; the actuator's security covers it (it is
 * under the endpoint's path). Answers the progression after the command, 404 for a route
 * without an acted-on progression or an unknown action, 409 when the phase does not allow
 * the command.
 */
final class ProgressionResource {

	static final String PATH = "/actuator/" + MigrationEndpoint.ID + "/{id}/progression/{action}";

	private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

	// Present with either state store; optional so the admin API does not need it.
	private final Optional<ProgressionController> controller;

	ProgressionResource(Optional<ProgressionController> controller) {
		this.controller = controller;
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route(POST(PATH), this::command);
	}

	private Mono<ServerResponse> command(ServerRequest request) {
		String id = request.pathVariable("id");
		String action = request.pathVariable("action");
		String instance = request.path();
		ProgressionController.Command command = command(action);
		if (command == null) {
			return problem(HttpStatus.NOT_FOUND, "Unknown action '" + action + "'; try pause, resume, skip or abort",
					instance);
		}
		if (this.controller.isEmpty() || this.controller.get().view(id).isEmpty()) {
			return problem(HttpStatus.NOT_FOUND, "No route '" + id + "' with a progression that is acted on "
					+ "(progressions are acted on with strangler.state.store=file only)", instance);
		}
		ProgressionController progressions = this.controller.get();
		return request.principal()
			.map((principal) -> Actor.operator(principal.getName()))
			.defaultIfEmpty(Actor.operator("anonymous"))
			// The command writes the override and state files: never on an event loop.
			.publishOn(Schedulers.boundedElastic())
			.flatMap((actor) -> {
				try {
					progressions.command(id, command, actor);
					return ServerResponse.ok()
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(progressions.view(id).orElseThrow());
				}
				catch (ProgressionMachine.NotAllowed ex) {
					return problem(HttpStatus.CONFLICT, ex.getMessage(), instance);
				}
			});
	}

	private static ProgressionController.Command command(String action) {
		for (ProgressionController.Command command : ProgressionController.Command.values()) {
			if (command.name().toLowerCase(Locale.ROOT).equals(action)) {
				return command;
			}
		}
		return null;
	}

	private static Mono<ServerResponse> problem(HttpStatus status, String detail, String instance) {
		Map<String, Object> body = AdminProblem.problem(status, detail, instance);
		return ServerResponse.status(status).contentType(PROBLEM_JSON).bodyValue(body);
	}

}
