package dev.strangler.gateway.compare;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.strangler.gateway.compare.Difference.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NoiseModelTests {

	private static final String LIST = "/api/products";

	private final ResponseComparator comparator = new ResponseComparator();

	private final NoiseModel noise = new NoiseModel();

	private Comparison compare(String legacy, String target) {
		return this.comparator.compare(CompareRules.DEFAULT, json(legacy), json(target));
	}

	private static CapturedResponse json(String body) {
		return CapturedResponse.of(200, Map.of("Content-Type", List.of("application/json")),
				body.getBytes(StandardCharsets.UTF_8));
	}

	private static Comparison mismatch(Difference... differences) {
		return Comparison.of(List.of(differences), true);
	}

	@Nested
	class Learning {

		@Test
		void whatDiffersBetweenTwoLegacyAnswersIsLearnedWithArrayIndexesAsWildcards() {
			NoiseModelTests.this.noise.learn("catalog", LIST,
					compare("{\"generatedAt\":\"t1\",\"content\":[{\"id\":1,\"seen\":5}]}",
							"{\"generatedAt\":\"t2\",\"content\":[{\"id\":1,\"seen\":6}]}"));

			assertThat(NoiseModelTests.this.noise.noisyPaths("catalog"))
				.isEqualTo(Map.of(LIST, Set.of("$.generatedAt", "$.content[*].seen")));
		}

		@Test
		void identicalLegacyAnswersTeachNothing() {
			NoiseModelTests.this.noise.learn("catalog", LIST, compare("{\"a\":1}", "{\"a\":1}"));

			assertThat(NoiseModelTests.this.noise.noisyPaths("catalog")).isEmpty();
		}

		@Test
		void statusAndWholeBodyDifferencesAreNeverLearned() {
			NoiseModelTests.this.noise.learn("catalog", LIST,
					mismatch(new Difference("status", "200", "503", Kind.STATUS),
							new Difference("$", "<html>1", "<html>2", Kind.BODY)));

			assertThat(NoiseModelTests.this.noise.noisyPaths("catalog")).isEmpty();
		}

		@Test
		void noiseIsKeptPerRouteAndRequestPathTemplate() {
			NoiseModelTests.this.noise.learn("catalog", LIST, mismatch(new Difference("$.generatedAt", "1", "2")));

			assertThat(NoiseModelTests.this.noise.noisyPaths("orders")).isEmpty();
			Comparison other = mismatch(new Difference("$.generatedAt", "1", "3"));
			assertThat(NoiseModelTests.this.noise.withoutNoise("catalog", "/api/products/{id}", other))
				.isEqualTo(other);
		}

		@Test
		void learningStopsAtTheBounds() {
			NoiseModel small = new NoiseModel(1, 2);

			small.learn("catalog", LIST, mismatch(new Difference("$.a", "1", "2"), new Difference("$.b", "1", "2"),
					new Difference("$.c", "1", "2")));
			small.learn("catalog", "/other", mismatch(new Difference("$.d", "1", "2")));

			assertThat(small.noisyPaths("catalog")).isEqualTo(Map.of(LIST, Set.of("$.a", "$.b")));
		}

		@Test
		void invalidBoundsAreRejectedByName() {
			assertThatIllegalArgumentException().isThrownBy(() -> new NoiseModel(1, 0))
				.withMessage("maxPathsPerKey must be at least 1 but was 0");
		}

		@Test
		void aTemplateStillLearningIsAskedAboutUntilQuietLooksInARowSettleIt() {
			NoiseModel settling = new NoiseModel(8, 8, 3);
			assertThat(settling.learning("catalog", LIST)).as("never looked at").isTrue();

			settling.learn("catalog", LIST, mismatch(new Difference("$.generatedAt", "t1", "t2")));
			settling.learn("catalog", LIST, mismatch(new Difference("$.generatedAt", "t3", "t4")));
			settling.learn("catalog", LIST, Comparison.of(List.of(), true));
			assertThat(settling.learning("catalog", LIST)).as("two quiet looks of three").isTrue();

			settling.learn("catalog", LIST, mismatch(new Difference("$.generatedAt", "t5", "t6")));

			assertThat(settling.learning("catalog", LIST)).as("three quiet looks in a row").isFalse();
			assertThat(settling.learning("catalog", "/api/products/{id}")).as("another template").isTrue();
			assertThat(settling.noisyPaths("catalog")).isEqualTo(Map.of(LIST, Set.of("$.generatedAt")));
		}

		@Test
		void newNoiseStartsTheQuietCountAgain() {
			NoiseModel settling = new NoiseModel(8, 8, 2);
			settling.learn("catalog", LIST, Comparison.of(List.of(), true));

			settling.learn("catalog", LIST, mismatch(new Difference("$.requestId", "a", "b")));
			settling.learn("catalog", LIST, Comparison.of(List.of(), true));

			assertThat(settling.learning("catalog", LIST)).isTrue();
			settling.learn("catalog", LIST, Comparison.of(List.of(), true));
			assertThat(settling.learning("catalog", LIST)).isFalse();
		}

		@Test
		void aTemplateThatCanNoLongerBeStoredIsNotLearning() {
			NoiseModel small = new NoiseModel(1, 2, 5);
			small.learn("catalog", LIST, mismatch(new Difference("$.a", "1", "2")));

			assertThat(small.learning("catalog", "/other")).isFalse();
		}

		@Test
		void aSettleAfterBelowOneIsRejectedByName() {
			assertThatIllegalArgumentException().isThrownBy(() -> new NoiseModel(1, 1, 0))
				.withMessage("settleAfter must be at least 1 but was 0");
		}

		@Test
		void forgettingARouteDropsItsNoise() {
			NoiseModelTests.this.noise.learn("catalog", LIST, mismatch(new Difference("$.a", "1", "2")));

			NoiseModelTests.this.noise.forget("catalog");

			assertThat(NoiseModelTests.this.noise.noisyPaths("catalog")).isEmpty();
		}

	}

	@Nested
	class Filtering {

		@Test
		void aMismatchMadeOnlyOfNoiseBecomesAMatch() {
			NoiseModelTests.this.noise.learn("catalog", LIST,
					compare("{\"generatedAt\":\"t1\",\"n\":1}", "{\"generatedAt\":\"t2\",\"n\":1}"));

			Comparison counted = NoiseModelTests.this.noise.withoutNoise("catalog", LIST,
					compare("{\"generatedAt\":\"t1\",\"n\":1}", "{\"generatedAt\":\"t9\",\"n\":1}"));

			assertThat(counted.isMatch()).isTrue();
			assertThat(counted.differences()).isEmpty();
		}

		@Test
		void realDifferencesSurviveNextToNoise() {
			NoiseModelTests.this.noise.learn("catalog", LIST, mismatch(new Difference("$.content[0].seen", "5", "6")));

			Comparison counted = NoiseModelTests.this.noise.withoutNoise("catalog", LIST, mismatch(
					new Difference("$.content[7].seen", "1", "2"), new Difference("$.content[7].price", "1", "2")));

			assertThat(counted.differences()).containsExactly(new Difference("$.content[7].price", "1", "2"));
			assertThat(counted.isMatch()).isFalse();
		}

		@Test
		void aNoisyPathCoversEverythingBelowItButNotItsNamesakes() {
			NoiseModelTests.this.noise.learn("catalog", LIST,
					mismatch(new Difference("$.meta", "{}", "null", Kind.TYPE)));

			Comparison counted = NoiseModelTests.this.noise.withoutNoise("catalog", LIST,
					mismatch(new Difference("$.meta.requestId", "1", "2"), new Difference("$.metadata", "1", "2")));

			assertThat(counted.differences()).extracting(Difference::path).containsExactly("$.metadata");
		}

		@Test
		void aStatusDifferenceIsNeverNoise() {
			NoiseModelTests.this.noise.learn("catalog", LIST, mismatch(new Difference("$.a", "1", "2")));

			Comparison counted = NoiseModelTests.this.noise.withoutNoise("catalog", LIST,
					mismatch(new Difference("status", "200", "500", Kind.STATUS), new Difference("$.a", "1", "3")));

			assertThat(counted.differences()).extracting(Difference::path).containsExactly("status");
		}

		@Test
		void whetherTheBodyWasComparedIsKept() {
			NoiseModelTests.this.noise.learn("catalog", LIST,
					mismatch(new Difference("header:Date", "a", "b", Kind.HEADER)));

			Comparison counted = NoiseModelTests.this.noise.withoutNoise("catalog", LIST,
					Comparison.of(List.of(new Difference("header:Date", "c", "d", Kind.HEADER)), false));

			assertThat(counted.isMatch()).isTrue();
			assertThat(counted.bodyCompared()).isFalse();
		}

	}

}
