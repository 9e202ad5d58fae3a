package dev.strangler.gateway.observe;

import io.micrometer.tracing.exporter.SpanReporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.tracing.SpanExporters;
import org.springframework.boot.actuate.autoconfigure.tracing.SpanProcessors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The tracer's span processors: Spring Boot's, less its batch span processor when nothing
 * would receive what it batches.
 * <p>
 * Spring Boot always gives the tracer a {@link BatchSpanProcessor} that feeds the span
 * exporters and reporters there are. With none, the default (spans are exported only when
 * an OTLP endpoint is set), it still queued every sampled span and kept it, with its
 * attributes, until 512 had gathered: about a second at 4,000 requests a second, so every
 * young collection found some 350 of them alive and copied them (docs/benchmarks.md).
 * Nothing else depends on it: sampling, the trace ids in logs and responses and the
 * {@code http.server.requests} timer come from the tracer and the observations, not from
 * the export. With an exporter or a reporter (an OTLP endpoint, a Zipkin URL, a bean of
 * the deployment's own) the batch processor stays, as Spring Boot configures it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ SpanProcessor.class, SpanProcessors.class })
class SpanExportConfiguration {

	@Bean
	SpanProcessors spanProcessors(ObjectProvider<SpanProcessor> processors, ObjectProvider<SpanExporters> exporters,
			ObjectProvider<SpanReporter> reporters) {
		SpanExporters exporting = exporters.getIfAvailable();
		boolean received = (exporting != null && !exporting.list().isEmpty())
				|| reporters.orderedStream().findAny().isPresent();
		return SpanProcessors.of(processors.orderedStream()
			.filter((processor) -> received || !(processor instanceof BatchSpanProcessor))
			.toList());
	}

}
