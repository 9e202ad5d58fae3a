package dev.strangler.legacy.catalog;

import dev.strangler.legacy.contract.CatalogContract;

import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The monolith keeps the catalog contract it was recorded from. If this test fails, the
 * monolith's contract changed: re-record with src/seed/record-catalog-contract.sh and
 * expect catalog-service to follow.
 */
@SpringBootTest
@AutoConfigureMockMvc
class CatalogContractTests extends CatalogContract {

}
