package dev.strangler.gateway.headers;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;

/**
 * Takes Spring Cloud Gateway's {@code RemoveForwardedHeadersFilter} and
 * {@code RemoveXForwardedHeadersFilter} out of the context: without
 * {@code spring.cloud.gateway.server.webflux.trusted-proxies} they drop every
 * {@code Forwarded} and {@code X-Forwarded-*} header on the way to a backend, each by
 * copying all the request's headers, and then {@link ForwardingHeadersKeeper} drops the
 * same names again and puts back what {@link ForwardingHeadersFilter} wrote. The keeper
 * alone gives the backend the same headers, with two copies of every header fewer per
 * proxied request. No property switches them off (they are registered whenever no trusted
 * proxies are set), hence removing their definitions; with SCG's trusted proxies set, its
 * adding filters are registered instead and left alone (the keeper still has the last
 * word).
 */
final class DuplicateForwardingRemovers implements BeanDefinitionRegistryPostProcessor {

	/**
	 * The names of the two filters' bean methods in SCG's
	 * {@code GatewayAutoConfiguration}.
	 */
	static final List<String> BEAN_NAMES = List.of("removeForwardedHeadersFilter", "removeXForwardedHeadersFilter");

	private static final Log logger = LogFactory.getLog(DuplicateForwardingRemovers.class);

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		for (String name : BEAN_NAMES) {
			if (registry.containsBeanDefinition(name)) {
				registry.removeBeanDefinition(name);
				logger.debug("Removed " + name + ": ForwardingHeadersKeeper does its work on the same copy");
			}
		}
	}

	@Override
	public String toString() {
		return "DuplicateForwardingRemovers" + BEAN_NAMES;
	}

}
