package dev.strangler.gateway.observe;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class PrecomputedServerRequestConventionTests {

	private final DefaultServerRequestObservationConvention spring = new DefaultServerRequestObservationConvention();

	private final PrecomputedServerRequestConvention precomputed = new PrecomputedServerRequestConvention(
			"http.server.requests");

	@Test
	void everyRequestGetsTheTagsAndContextualNameOfSpringsConventionTheFirstTimeAndAfter() {
		List<ServerRequestObservationContext> contexts = new ArrayList<>();
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD,
				HttpMethod.valueOf("PURGE"))) {
			for (int status : new int[] { 200, 201, 299, 301, 304, 404, 429, 500, 503, 599, 600, 999 }) {
				contexts.add(context(method, status));
				ServerRequestObservationContext failed = context(method, status);
				failed.setError(new IllegalStateException("boom"));
				contexts.add(failed);
				ServerRequestObservationContext aborted = context(method, status);
				aborted.setConnectionAborted(true);
				contexts.add(aborted);
				ServerRequestObservationContext patterned = context(method, status);
				patterned.setPathPattern("/api/{id}");
				contexts.add(patterned);
			}
			ServerRequestObservationContext noStatus = new ServerRequestObservationContext(
					MockServerHttpRequest.method(method, "/api/orders/1").build(), new MockServerHttpResponse(),
					new java.util.HashMap<>());
			contexts.add(noStatus);
		}
		for (int round = 0; round < 2; round++) {
			for (ServerRequestObservationContext context : contexts) {
				assertThat(this.precomputed.getLowCardinalityKeyValues(context)).as("round %d", round)
					.containsExactlyElementsOf(this.spring.getLowCardinalityKeyValues(context));
				assertThat(this.precomputed.getHighCardinalityKeyValues(context))
					.containsExactlyElementsOf(this.spring.getHighCardinalityKeyValues(context));
				assertThat(this.precomputed.getContextualName(context))
					.isEqualTo(this.spring.getContextualName(context));
			}
		}
	}

	@Test
	void theCommonCaseIsComputedOnceAndReused() {
		assertThat(this.precomputed.getLowCardinalityKeyValues(context(HttpMethod.GET, 200)))
			.isSameAs(this.precomputed.getLowCardinalityKeyValues(context(HttpMethod.GET, 200)));
		assertThat(this.precomputed.getContextualName(context(HttpMethod.GET, 200)))
			.isSameAs(this.precomputed.getContextualName(context(HttpMethod.GET, 404)));
	}

	@Test
	void theNameIsTheConfiguredOne() {
		assertThat(new PrecomputedServerRequestConvention("edge.requests").getName()).isEqualTo("edge.requests");
		assertThat(this.precomputed.getName()).isEqualTo(this.spring.getName());
	}

	private static ServerRequestObservationContext context(HttpMethod method, int status) {
		MockServerHttpResponse response = new MockServerHttpResponse();
		response.setStatusCode(HttpStatusCode.valueOf(status));
		return new ServerRequestObservationContext(MockServerHttpRequest.method(method, "/api/orders/1").build(),
				response, new java.util.HashMap<>());
	}

}
