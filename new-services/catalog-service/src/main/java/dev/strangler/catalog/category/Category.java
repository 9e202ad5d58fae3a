package dev.strangler.catalog.category;

/**
 * A product category, addressed in URLs by its slug. Field order is part of the contract.
 *
 * @param id the category id
 * @param slug the URL-friendly name, e.g. {@code garden}
 * @param name the display name, e.g. {@code Garden}
 */
public record Category(long id, String slug, String name) {

}
