package dev.strangler.e2e;

import dev.strangler.e2e.E2eEnvironment.Backends;
import dev.strangler.e2e.GatewaySetup.Stage;

/**
 * Catalog route at stage {@code legacy}: the gateway answers exactly like the monolith.
 */
class LegacyStageParityIT extends StageParityContract {

	LegacyStageParityIT() {
		super(Stage.LEGACY, "legacy");
	}

	@Override
	AppProcess servingBackend(Backends backends) {
		return backends.legacy();
	}

}
