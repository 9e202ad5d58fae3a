package dev.strangler.legacy.catalog;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Products, with Spring Data paging.
 */
public interface ProductRepository extends JpaRepository<Product, Long> {

	Page<Product> findByCategorySlug(String slug, Pageable pageable);

}
