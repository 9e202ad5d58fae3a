package dev.strangler.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.strangler.gateway");

	@Test
	void featurePackagesAreFreeOfCycles() {
		slices().matching("dev.strangler.gateway.(*)..").should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void routeModelAndRolloutDecisionHoldNoWebFluxTypes() {
		noClasses().that()
			.resideInAnyPackage("dev.strangler.gateway.route..", "dev.strangler.gateway.rollout..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web.server..", "org.springframework.web.reactive..",
					"org.springframework.http.server.reactive..", "org.springframework.cloud.gateway..", "reactor..",
					"io.netty..")
			.check(CLASSES);
	}

	// The comparison engine is shared with the end-to-end tests, so it stays plain Java
	// (Jackson and JsonPath only): the route model is the one gateway type it reads.
	@Test
	void comparisonEngineHoldsNoSpringReactorOrNettyTypes() {
		noClasses().that()
			.resideInAPackage("dev.strangler.gateway.compare..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.netty..")
			.check(CLASSES);
	}

}
