package dev.strangler.legacy.catalog;

import java.time.Instant;
import java.util.List;

/**
 * One page of a listing. {@code generatedAt} differs on every call, which is exactly what
 * makes naive response comparison of this monolith fail.
 */
public record PageView<T>(List<T> content, int page, int size, long totalElements, int totalPages,
		Instant generatedAt) {

}
