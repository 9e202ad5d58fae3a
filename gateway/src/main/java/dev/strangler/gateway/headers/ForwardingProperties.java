package dev.strangler.gateway.headers;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the gateway tells backends about the client ({@code strangler.forwarding.*}). The
 * {@code X-Forwarded-*} headers are always sent; which proxies are believed is
 * {@code strangler.rollout.trusted-proxies}.
 *
 * @param forwardedHeader whether the RFC 7239 {@code Forwarded} header is sent as well
 * (default {@code false}: most monoliths read {@code X-Forwarded-*} only)
 */
@ConfigurationProperties("strangler.forwarding")
record ForwardingProperties(@DefaultValue("false") boolean forwardedHeader) {

}
