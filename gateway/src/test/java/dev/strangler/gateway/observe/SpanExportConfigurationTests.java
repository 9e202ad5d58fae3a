package dev.strangler.gateway.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.SpanProcessors;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class SpanExportConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetryAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class))
		.withUserConfiguration(SpanExportConfiguration.class)
		.withPropertyValues("management.tracing.sampling.probability=1.0");

	@Test
	void withNothingToReceiveThemSampledSpansAreNotQueued() {
		this.contexts.run((context) -> {
			assertThat(context).as("Spring Boot's, created as always").hasSingleBean(BatchSpanProcessor.class);
			assertThat(context.getBean(SpanProcessors.class).list()).as("but not the tracer's")
				.noneMatch(BatchSpanProcessor.class::isInstance);
			Span span = endedSpan(context, "unexported");
			assertThat(span.getSpanContext().isValid()).as("still traced").isTrue();
			assertThat(span.getSpanContext().isSampled()).as("still sampled").isTrue();
		});
	}

	@Test
	void anExporterGetsTheSampledSpansThroughSpringBootsBatchProcessor() {
		List<SpanData> exported = new CopyOnWriteArrayList<>();
		this.contexts.withBean(SpanExporter.class, () -> new ListSpanExporter(exported)).run((context) -> {
			assertThat(context.getBean(SpanProcessors.class).list())
				.hasAtLeastOneElementOfType(BatchSpanProcessor.class);
			endedSpan(context, "exported");
			flush(context);
			assertThat(exported).extracting(SpanData::getName).containsExactly("exported");
		});
	}

	@Test
	void aReporterAloneKeepsTheBatchProcessorToo() {
		List<FinishedSpan> reported = new CopyOnWriteArrayList<>();
		this.contexts.withBean(SpanReporter.class, () -> reported::add).run((context) -> {
			endedSpan(context, "reported");
			flush(context);
			assertThat(reported).extracting(FinishedSpan::getName).containsExactly("reported");
		});
	}

	private static Span endedSpan(AssertableApplicationContext context, String name) {
		Span span = context.getBean(Tracer.class).spanBuilder(name).startSpan();
		span.end();
		return span;
	}

	private static void flush(AssertableApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
	}

}
