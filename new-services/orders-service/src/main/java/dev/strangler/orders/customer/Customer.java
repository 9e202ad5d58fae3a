package dev.strangler.orders.customer;

/**
 * A registered customer of the shop. Component order is part of the contract.
 *
 * @param id the customer id
 * @param name the full name
 * @param email the e-mail address
 * @param city the city
 */
record Customer(long id, String name, String email, String city) {

}
