package dev.strangler.gateway.route;

import org.springframework.web.util.pattern.PathPattern;

/**
 * The route that claimed a request and the pattern that matched.
 *
 * @param route the winning route
 * @param pattern its most specific pattern matching the request path
 */
public record RouteMatch(Route route, PathPattern pattern) {

}
