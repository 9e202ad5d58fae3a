package dev.strangler.gateway.headers;

import java.net.URI;
import java.util.List;
import java.util.Set;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.rollout.TrustedProxies;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.routing.RoutingDecision;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

class PassThroughHeadersTests {

	private final PassThroughHeaders headers = new PassThroughHeaders(
			new ForwardingHeaders(TrustedProxies.none(), false), new RemoveHopByHopHeadersFilter(), true);

	@Test
	void aPlainRequestIsPassable() {
		assertThat(this.headers.passable(headers("Accept", "*/*", "Content-Length", "0"))).isTrue();
	}

	@Test
	void requestsThatNeedTheChainAreNotPassable() {
		assertThat(this.headers.passable(headers("Content-Length", "3"))).as("a body").isFalse();
		assertThat(this.headers.passable(headers("Transfer-Encoding", "chunked"))).as("a chunked body").isFalse();
		assertThat(this.headers.passable(headers("x-strangler-force-backend", "target"))).as("internal").isFalse();
		assertThat(this.headers.passable(headers("Upgrade", "websocket"))).as("an upgrade").isFalse();
		assertThat(this.headers.passable(headers("Expect", "100-continue"))).as("expect").isFalse();
		assertThat(this.headers.passable(headers("TE", "trailers"))).as("te").isFalse();
		assertThat(this.headers.passable(headers("Content-Type", "application/grpc+proto"))).as("gRPC").isFalse();
	}

	@Test
	void theRequestLosesItsHopByHopHeadersHostAndForwardingHeadersAndGetsTheGatewaysOnes() {
		MockServerHttpRequest request = MockServerHttpRequest.get("http://gateway.test/a")
			.header("Connection", "keep-alive, X-Custom")
			.header("X-Custom", "hop")
			.header("Keep-Alive", "timeout=5")
			.header("Host", "gateway.test")
			.header("X-Forwarded-For", "203.0.113.9")
			.header("Accept", "text/html", "application/json")
			.build();
		DefaultHttpHeaders sent = new DefaultHttpHeaders();

		this.headers.writeRequest(request, this.headers.forwarding(request), sent);

		assertThat(sent.names()).containsExactlyInAnyOrder("Accept", "X-Forwarded-Proto", "X-Forwarded-Host",
				"X-Forwarded-Port");
		assertThat(sent.getAll("Accept")).containsExactly("text/html", "application/json");
		assertThat(sent.get("X-Forwarded-Host")).isEqualTo("gateway.test");
	}

	@Test
	void theResponseLosesItsHopByHopHeadersAndCarriesTheRouteWhichTheBackendCannotSpoof() {
		io.netty.handler.codec.http.HttpHeaders received = new DefaultHttpHeaders().add("Connection", "close, X-Hop")
			.add("X-Hop", "1")
			.add("Transfer-Encoding", "chunked")
			.add("Content-Type", "application/json")
			.add("X-Strangler-Route", "spoofed");
		DefaultHttpHeaders sent = new DefaultHttpHeaders();

		this.headers.writeResponse(received, sent, new RoutingDecision(route("orders"), Backend.LEGACY));

		assertThat(sent.names()).containsExactlyInAnyOrder("Content-Type", "X-Strangler-Route", "X-Strangler-Backend");
		assertThat(sent.getAll("X-Strangler-Route")).containsExactly("orders");
		assertThat(sent.get("X-Strangler-Backend")).isEqualTo("legacy");
	}

	@Test
	void anUnroutedResponseOrOneWithTheHeadersNotExposedHasNoRouteHeaders() {
		io.netty.handler.codec.http.HttpHeaders received = new DefaultHttpHeaders().add("Content-Type", "text/plain");
		DefaultHttpHeaders unrouted = new DefaultHttpHeaders();
		this.headers.writeResponse(received, unrouted, null);
		DefaultHttpHeaders hidden = new DefaultHttpHeaders();
		new PassThroughHeaders(new ForwardingHeaders(TrustedProxies.none(), false), new RemoveHopByHopHeadersFilter(),
				false)
			.writeResponse(received, hidden, new RoutingDecision(route("orders"), Backend.LEGACY));

		assertThat(unrouted.names()).containsExactly("Content-Type");
		assertThat(hidden.names()).containsExactly("Content-Type");
	}

	private static HttpHeaders headers(String... namesAndValues) {
		HttpHeaders headers = new HttpHeaders();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	private static Route route(String id) {
		return new Route(id, "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/" + id + "/**")), Set.of()),
				URI.create("http://legacy.test"), null, Stage.LEGACY, Route.Rollout.DEFAULT, Route.Shadow.DEFAULT,
				Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

}
