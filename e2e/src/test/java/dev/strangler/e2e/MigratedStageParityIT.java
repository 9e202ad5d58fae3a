package dev.strangler.e2e;

import dev.strangler.e2e.E2eEnvironment.Backends;
import dev.strangler.e2e.GatewaySetup.Stage;

/**
 * Catalog route at stage {@code migrated}: the gateway answers exactly like
 * catalog-service.
 */
class MigratedStageParityIT extends StageParityContract {

	MigratedStageParityIT() {
		super(Stage.MIGRATED, "target");
	}

	@Override
	AppProcess servingBackend(Backends backends) {
		return backends.catalog();
	}

}
