package dev.strangler.gateway.admin;

import java.util.Optional;

import dev.strangler.gateway.progression.ProgressionController;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The progression commands' route, registered in the management server's context like the
 * dashboard's (listed in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports};
 * deliberately not annotated, so the component scan does not also serve it on the traffic
 * port).
 */
class ProgressionManagementConfiguration {

	@Bean
	RouterFunction<ServerResponse> progressionRouterFunction(ObjectProvider<ProgressionController> controller) {
		return new ProgressionResource(Optional.ofNullable(controller.getIfAvailable())).routes();
	}

}
