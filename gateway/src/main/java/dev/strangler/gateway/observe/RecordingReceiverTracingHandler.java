package dev.strangler.gateway.observe;

import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Micrometer Tracing's handler of the server span ({@code http.server.requests}), which
 * tags the span with the observation's key values only when the span records.
 * Micrometer's handler tags every span when its observation stops: it merges and sorts
 * the observation's low- and high-cardinality key values into a new list and hands each
 * to the span, and an unsampled span (nine requests in ten at the default 10 % sampling)
 * drops every tag it is given. Everything else, the extraction of the caller's trace
 * context, the span's name, its end, is Micrometer's.
 */
final class RecordingReceiverTracingHandler extends PropagatingReceiverTracingObservationHandler<ReceiverContext<?>> {

	RecordingReceiverTracingHandler(Tracer tracer, Propagator propagator) {
		super(tracer, propagator);
	}

	@Override
	public void tagSpan(ReceiverContext<?> context, Span span) {
		if (!span.isNoop()) {
			super.tagSpan(context, span);
		}
	}

	/**
	 * Puts the handler in place of Spring Boot's (exactly that type; one of the
	 * application's own is left alone), with Spring Boot's tracer and propagator.
	 */
	static final class Replacement implements BeanPostProcessor {

		private final ObjectProvider<Propagator> propagator;

		Replacement(ObjectProvider<Propagator> propagator) {
			this.propagator = propagator;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) {
			if (bean.getClass() != PropagatingReceiverTracingObservationHandler.class) {
				return bean;
			}
			PropagatingReceiverTracingObservationHandler<?> springBoots = (PropagatingReceiverTracingObservationHandler<?>) bean;
			return new RecordingReceiverTracingHandler(springBoots.getTracer(), this.propagator.getObject());
		}

	}

}
