package dev.strangler.gateway;

import java.util.Arrays;

import dev.strangler.gateway.replay.ReplayCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Strangler Gateway: routes every request to the legacy monolith unless a route file
 * moves it, stage by stage, to an extracted service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StranglerGatewayApplication {

	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("replay")) {
			// The parity check (docs/record-replay.md) runs from the same jar, without
			// starting the gateway.
			System.exit(ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
		}
		SpringApplication.run(StranglerGatewayApplication.class, args);
	}

}
