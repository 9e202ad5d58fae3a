package dev.strangler.legacy.order;

import org.springframework.data.jpa.repository.JpaRepository;

interface OrderRepository extends JpaRepository<ShopOrder, Long> {

}
