package dev.strangler.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * orders-service and the monolith, asked directly, give the same answer to every order
 * and customer read: all 200 seeded orders, all 100 customers, the ids just outside them,
 * and ids that are not numbers. Same status, same Content-Type, same JSON; HEAD alike
 * too.
 */
@EndToEnd
class OrdersParityIT {

	private static AppProcess legacy;

	private static AppProcess orders;

	@BeforeAll
	static void startBackends(E2eEnvironment environment) {
		legacy = environment.legacy();
		orders = environment.orders();
	}

	static List<String> corpus() {
		Stream<String> seededOrders = IntStream.rangeClosed(1, 200).mapToObj((id) -> "/api/orders/" + id);
		Stream<String> seededCustomers = IntStream.rangeClosed(1, 100).mapToObj((id) -> "/api/customers/" + id);
		Stream<String> misses = Stream.of("/api/orders/0", "/api/orders/201", "/api/orders/-1",
				"/api/orders/9223372036854775807", "/api/customers/0", "/api/customers/101", "/api/customers/-7");
		Stream<String> badIds = Stream.of("/api/orders/abc", "/api/orders/1.5", "/api/orders/99999999999999999999",
				"/api/customers/x", "/api/customers/%20", "/api/orders/1?unused=param");
		return Stream.of(seededOrders, seededCustomers, misses, badIds).flatMap((paths) -> paths).toList();
	}

	@Test
	void ordersServiceAnswersEveryOrderAndCustomerReadLikeTheMonolith() {
		List<String> corpus = corpus();
		List<String> mismatches = new ArrayList<>();
		int problems = 0;
		for (String path : corpus) {
			HttpResponse<byte[]> expected = Http.get(legacy.uri(path));
			HttpResponse<byte[]> actual = Http.get(orders.uri(path));
			if (expected.statusCode() >= 400) {
				problems++;
			}
			difference(expected, actual).ifPresent((difference) -> mismatches.add("GET " + path + " → " + difference));
		}
		System.out.printf("OrdersParityIT: %d requests compared (%d error responses), %d mismatches%n", corpus.size(),
				problems, mismatches.size());

		assertThat(corpus).hasSize(313);
		assertThat(problems).as("error cases in the corpus").isEqualTo(12);
		assertThat(mismatches).as("%d of %d requests differ", mismatches.size(), corpus.size()).isEmpty();
	}

	@Test
	void headAnswersLikeTheMonolithWithoutABody() {
		for (String path : List.of("/api/orders/1", "/api/customers/1", "/api/orders/201")) {
			HttpResponse<byte[]> expected = head(legacy, path);
			HttpResponse<byte[]> actual = head(orders, path);
			assertThat(actual.statusCode()).as("HEAD %s", path).isEqualTo(expected.statusCode());
			assertThat(actual.headers().firstValue("Content-Type")).as("HEAD %s", path)
				.isEqualTo(expected.headers().firstValue("Content-Type"));
			assertThat(actual.body()).as("HEAD %s", path).isEmpty();
		}
	}

	private static HttpResponse<byte[]> head(AppProcess process, String path) {
		return Http
			.exchange(Http.request(process.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
	}

	private static Optional<String> difference(HttpResponse<byte[]> expected, HttpResponse<byte[]> actual) {
		if (expected.statusCode() != actual.statusCode()) {
			return Optional.of("status " + expected.statusCode() + " vs " + actual.statusCode());
		}
		Optional<String> expectedType = expected.headers().firstValue("Content-Type");
		Optional<String> actualType = actual.headers().firstValue("Content-Type");
		if (!expectedType.equals(actualType)) {
			return Optional.of("Content-Type " + expectedType.orElse("(none)") + " vs " + actualType.orElse("(none)"));
		}
		return JsonComparison.ignoring().difference(expected.body(), actual.body());
	}

}
