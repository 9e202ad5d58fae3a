package dev.strangler.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Catalog requests (paths with raw query strings) to send to two backends and compare: a
 * small sample for the gateway tests, and a generated corpus covering every category,
 * page, size, sort and error case for the direct parity check.
 */
final class CatalogRequests {

	private static final List<String> VALID_SORTS = List.of("id,asc", "id,desc", "name,asc", "name,desc", "price,asc",
			"price,desc", "name", "price");

	private static final List<String> INVALID_SORTS = List.of("weight", "price,up", "name,asc,id", "", "PRICE,desc",
			"price,DESC", ",asc");

	private CatalogRequests() {
	}

	/**
	 * Existing products, first, middle and last.
	 */
	static List<String> productDetails() {
		return List.of("/api/products/1", "/api/products/2", "/api/products/17", "/api/products/500",
				"/api/products/999", "/api/products/1000");
	}

	/**
	 * Listings across pages, sizes, sorts and categories, including an empty page beyond
	 * the last.
	 */
	static List<String> productListings() {
		return List.of("/api/products", "/api/products?page=0&size=5", "/api/products?page=3&size=20&sort=price,desc",
				"/api/products?page=2&size=7&sort=name,desc",
				"/api/products?category=books&page=1&size=10&sort=name,asc", "/api/products?category=pets&size=100",
				"/api/products?category=garden&sort=price,asc&page=0&size=3", "/api/products?page=9&size=100",
				"/api/products?page=10&size=100&sort=id,desc", "/api/products?category=no-such-category");
	}

	/**
	 * Requests the catalog answers with a problem: unknown and malformed ids, invalid
	 * parameters.
	 */
	static List<String> productErrors() {
		return List.of("/api/products/1001", "/api/products/0", "/api/products/abc", "/api/products?page=-1",
				"/api/products?size=0", "/api/products?size=101", "/api/products?sort=weight",
				"/api/products?page=abc");
	}

	/**
	 * The full corpus, shaped by what {@code reference} (the monolith) reports about its
	 * own data: its categories and how many pages each listing has.
	 */
	static List<String> corpus(AppProcess reference) {
		Set<String> requests = new LinkedHashSet<>();
		requests.add("/api/categories");
		requests.addAll(productDetails());
		requests.addAll(productListings());
		requests.addAll(productErrors());

		long lastId = listing(reference, "/api/products?size=1").path("totalElements").asLong();
		for (long id = 1; id <= lastId; id += 37) {
			requests.add("/api/products/" + id);
		}
		for (String id : List.of(String.valueOf(lastId), String.valueOf(lastId + 1), "-1", "9223372036854775807",
				"9223372036854775808", "1.5", "1e3", "%20", "01", "+1")) {
			requests.add("/api/products/" + id);
		}

		for (int size : List.of(1, 20, 100)) {
			int totalPages = listing(reference, "/api/products?size=" + size).path("totalPages").asInt();
			for (String sort : VALID_SORTS.subList(0, 6)) {
				for (int page : pagesOf(totalPages)) {
					requests.add("/api/products?page=" + page + "&size=" + size + "&sort=" + sort);
				}
			}
		}

		for (JsonNode category : json(reference, "/api/categories")) {
			String slug = category.path("slug").asText();
			int totalPages = listing(reference, "/api/products?category=" + slug + "&size=20").path("totalPages")
				.asInt();
			for (int page = 0; page <= totalPages; page++) {
				requests.add("/api/products?category=" + slug + "&page=" + page + "&size=20");
			}
			requests.add("/api/products?category=" + slug);
			requests.add("/api/products?category=" + slug + "&sort=price,desc&size=7&page=1");
			requests.add("/api/products?category=" + slug + "&sort=name&size=100");
			requests.add("/api/products?size=3&sort=name,desc&category=" + slug.toUpperCase(Locale.ROOT));
		}

		for (String sort : VALID_SORTS.subList(6, VALID_SORTS.size())) {
			requests.add("/api/products?sort=" + sort);
		}
		for (String sort : INVALID_SORTS) {
			requests.add("/api/products?sort=" + encode(sort));
		}
		for (String invalid : List.of("page=-1", "page=-100", "page=abc", "page=1.5", "page=2147483648", "page=",
				"size=0", "size=-1", "size=101", "size=1000", "size=abc", "size=", "category=",
				"category=books&category=pets", "page=0&page=1", "unknown=1", "category=%E2%9C%93")) {
			requests.add("/api/products?" + invalid);
		}
		requests.add("/api/products/");
		requests.add("/api/products/1/reviews");
		return new ArrayList<>(requests);
	}

	private static List<Integer> pagesOf(int totalPages) {
		Set<Integer> pages = new LinkedHashSet<>(
				List.of(0, 1, totalPages / 2, totalPages - 1, totalPages, totalPages + 5));
		pages.removeIf((page) -> page < 0);
		return new ArrayList<>(pages);
	}

	private static JsonNode listing(AppProcess reference, String path) {
		JsonNode page = json(reference, path);
		if (!page.has("totalPages") || !page.has("totalElements")) {
			throw new IllegalStateException(path + " on " + reference + " is not a page: " + page);
		}
		return page;
	}

	private static JsonNode json(AppProcess reference, String path) {
		byte[] body = Http.get(reference.uri(path)).body();
		JsonNode json = JsonComparison.parse(body);
		if (json == null) {
			throw new IllegalStateException(path + " on " + reference + " is not JSON");
		}
		return json;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
