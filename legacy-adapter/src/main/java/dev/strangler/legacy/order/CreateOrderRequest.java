package dev.strangler.legacy.order;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * Body of {@code POST /api/orders}.
 */
record CreateOrderRequest(@NotNull Long customerId, @NotEmpty List<@NotNull @Valid Line> lines) {

	record Line(@NotNull Long productId, @NotNull @Min(1) Integer quantity) {

	}

}
