package dev.strangler.e2e;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.strangler.e2e.E2eEnvironment.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * catalog-service and the monolith, asked directly, give the same answer to every catalog
 * request of a generated corpus: same status, same Content-Type, same JSON apart from the
 * per-response {@code generatedAt}.
 */
@EndToEnd
class CatalogParityIT {

	private static final int MINIMUM_CORPUS = 200;

	private static final JsonComparison IGNORING_GENERATED_AT = JsonComparison.ignoring("generatedAt");

	private static Backends backends;

	@BeforeAll
	static void startBackends(E2eEnvironment environment) {
		backends = environment.backends();
	}

	@Test
	void catalogServiceAnswersEveryCatalogRequestLikeTheMonolith() {
		List<String> corpus = CatalogRequests.corpus(backends.legacy());
		List<String> mismatches = new ArrayList<>();
		int problems = 0;
		for (String path : corpus) {
			HttpResponse<byte[]> legacy = Http.get(backends.legacy().uri(path));
			HttpResponse<byte[]> target = Http.get(backends.catalog().uri(path));
			if (legacy.statusCode() >= 400) {
				problems++;
			}
			mismatch(legacy, target).ifPresent((difference) -> mismatches.add("GET " + path + " → " + difference));
		}
		System.out.printf("CatalogParityIT: %d requests compared (%d error responses), %d mismatches%n", corpus.size(),
				problems, mismatches.size());

		assertThat(corpus).as("corpus size").hasSizeGreaterThanOrEqualTo(MINIMUM_CORPUS);
		assertThat(problems).as("error cases in the corpus").isGreaterThan(20);
		assertThat(mismatches).as("%d of %d requests differ", mismatches.size(), corpus.size()).isEmpty();
	}

	private static Optional<String> mismatch(HttpResponse<byte[]> legacy, HttpResponse<byte[]> target) {
		if (legacy.statusCode() != target.statusCode()) {
			return Optional.of("status " + legacy.statusCode() + " vs " + target.statusCode());
		}
		Optional<String> legacyType = legacy.headers().firstValue("Content-Type");
		Optional<String> targetType = target.headers().firstValue("Content-Type");
		if (!legacyType.equals(targetType)) {
			return Optional.of("Content-Type " + legacyType.orElse("(none)") + " vs " + targetType.orElse("(none)"));
		}
		return IGNORING_GENERATED_AT.difference(legacy.body(), target.body());
	}

}
