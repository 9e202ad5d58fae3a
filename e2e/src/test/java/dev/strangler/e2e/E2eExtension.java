package dev.strangler.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the run-wide {@link E2eEnvironment}, kept in the root store so all test classes
 * share its processes and JUnit closes it once, after the last class.
 */
final class E2eExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(E2eExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == E2eEnvironment.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return extensionContext.getRoot()
			.getStore(NAMESPACE)
			.getOrComputeIfAbsent(E2eEnvironment.class, (key) -> new E2eEnvironment(), E2eEnvironment.class);
	}

}
