package dev.strangler.legacy.catalog;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * Stock per product.
 */
public interface InventoryRepository extends JpaRepository<Inventory, Long> {

	/**
	 * Takes {@code quantity} units out of stock if, and only if, that many are there. One
	 * conditional update, so two concurrent orders can never oversell.
	 * @return 1 if the stock was decremented, 0 if there was not enough
	 */
	@Modifying(flushAutomatically = true)
	@Query("update Inventory i set i.quantity = i.quantity - :quantity "
			+ "where i.productId = :productId and i.quantity >= :quantity")
	int decrement(@Param("productId") Long productId, @Param("quantity") int quantity);

}
