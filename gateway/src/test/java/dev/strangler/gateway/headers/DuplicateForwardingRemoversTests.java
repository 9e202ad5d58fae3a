package dev.strangler.gateway.headers;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateForwardingRemoversTests {

	@Test
	void theTwoForwardingRemoversAreTakenOutAndEveryOtherDefinitionStays() {
		DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
		registry.registerBeanDefinition("removeForwardedHeadersFilter",
				new RootBeanDefinition(RemoveForwardedHeadersFilter.class));
		registry.registerBeanDefinition("removeXForwardedHeadersFilter",
				new RootBeanDefinition(RemoveXForwardedHeadersFilter.class));
		registry.registerBeanDefinition("removeHopByHopHeadersFilter",
				new RootBeanDefinition(RemoveHopByHopHeadersFilter.class));

		new DuplicateForwardingRemovers().postProcessBeanDefinitionRegistry(registry);

		assertThat(registry.getBeanDefinitionNames()).containsExactly("removeHopByHopHeadersFilter");
	}

	@Test
	void nothingHappensWhenTheyAreNotRegistered() {
		DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
		registry.registerBeanDefinition("removeHopByHopHeadersFilter",
				new RootBeanDefinition(RemoveHopByHopHeadersFilter.class));

		new DuplicateForwardingRemovers().postProcessBeanDefinitionRegistry(registry);

		assertThat(registry.getBeanDefinitionNames()).containsExactly("removeHopByHopHeadersFilter");
	}

}
