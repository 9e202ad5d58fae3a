package dev.strangler.gateway.observe;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class AccessLineMdcTests {

	@AfterEach
	void clearMdc() {
		MDC.clear();
	}

	@Test
	void theSpansIdsAreInTheMdcWhileTheLineIsWrittenAndGoneAfter() {
		Span span = span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");

		try (AccessLineMdc.Ids ids = AccessLineMdc.put(span)) {
			assertThat(MDC.get("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
			assertThat(MDC.get("spanId")).isEqualTo("00f067aa0ba902b7");
		}

		assertThat(MDC.get("traceId")).isNull();
		assertThat(MDC.get("spanId")).isNull();
	}

	@Test
	void whatTheMdcHeldBeforeIsPutBack() {
		MDC.put("traceId", "earlier-trace");
		MDC.put("spanId", "earlier-span");

		try (AccessLineMdc.Ids ids = AccessLineMdc.put(span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"))) {
			assertThat(MDC.get("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		}

		assertThat(MDC.get("traceId")).isEqualTo("earlier-trace");
		assertThat(MDC.get("spanId")).isEqualTo("earlier-span");
	}

	@Test
	void withoutASpanOrTraceIdTheMdcIsLeftAlone() {
		MDC.put("spanId", "untouched");

		try (AccessLineMdc.Ids ids = AccessLineMdc.put(null)) {
			assertThat(MDC.get("traceId")).isNull();
		}
		try (AccessLineMdc.Ids ids = AccessLineMdc.put(span("", ""))) {
			assertThat(MDC.get("traceId")).isNull();
		}

		assertThat(MDC.get("spanId")).isEqualTo("untouched");
	}

	private static Span span(String traceId, String spanId) {
		TraceContext context = mock(TraceContext.class);
		given(context.traceId()).willReturn(traceId);
		given(context.spanId()).willReturn(spanId);
		Span span = mock(Span.class);
		given(span.context()).willReturn(context);
		return span;
	}

}
