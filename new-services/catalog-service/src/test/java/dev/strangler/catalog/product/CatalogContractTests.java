package dev.strangler.catalog.product;

import dev.strangler.legacy.contract.CatalogContract;

import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * This service answers the catalog exactly like the monolith it replaces: the contract
 * and its golden files come from legacy-adapter's test-jar.
 */
@SpringBootTest
@AutoConfigureMockMvc
class CatalogContractTests extends CatalogContract {

}
