package dev.strangler.gateway.control;

import java.time.Instant;

/**
 * Why the last reload of the route files was rejected; the routes in force did not
 * change.
 *
 * @param message every validation error, each naming file, route and field
 * @param at when the reload was attempted
 */
public record ReloadError(String message, Instant at) {

}
