package dev.strangler.catalog.product;

/**
 * A validated request for one page of products.
 * <p>
 * The error messages are the monolith's, word for word: clients (and the gateway's
 * response comparison) cannot tell which side answered.
 *
 * @param page zero-based page number
 * @param size products per page, 1 to {@value #MAX_SIZE}
 * @param category category slug to filter by, or {@code null} for all
 * @param sort sort order, ties always broken by ascending id
 */
record ProductQuery(int page, int size, String category, ProductSort sort) {

	static final int MAX_SIZE = 100;

	/**
	 * Validates the raw parameters in the monolith's order (page, size, sort), so that a
	 * request with several mistakes gets the same detail from both.
	 */
	static ProductQuery of(int page, int size, String category, String sort) {
		if (page < 0) {
			throw new InvalidQueryException("page must be greater than or equal to 0 (was " + page + ")");
		}
		if (size < 1 || size > MAX_SIZE) {
			throw new InvalidQueryException("size must be between 1 and " + MAX_SIZE + " (was " + size + ")");
		}
		return new ProductQuery(page, size, category, ProductSort.parse(sort));
	}

	long offset() {
		return (long) this.page * this.size;
	}

}
