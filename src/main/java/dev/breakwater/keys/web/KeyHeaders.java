package dev.breakwater.keys.web;

import dev.breakwater.keys.Admission;
import dev.breakwater.keys.KeyCall;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Locale;

/**
 * OpenAI's {@code x-ratelimit-*} headers on every answer to a keyed call that reached the limit check
 * (refusals included), for each limit the key has; and {@code x-breakwater-cost-usd} on every successful
 * answer whose cost is known.
 */
public class KeyHeaders {

    static final String COST = "x-breakwater-cost-usd";

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getSecurityContext() == null || !(request.getSecurityContext().getUserPrincipal() instanceof KeyCall call)) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        call.admission().ifPresent(a -> rateLimits(a, headers));
        if (response.getStatus() / 100 == 2) {
            call.costUsd().ifPresent(cost -> headers.putSingle(COST, String.format(Locale.ROOT, "%.9f", cost)));
        }
    }

    private static void rateLimits(Admission a, MultivaluedMap<String, Object> headers) {
        String reset = a.retryAfterSecondsOfWindow() + "s";
        if (a.key().rpm() != null) {
            headers.putSingle("x-ratelimit-limit-requests", a.key().rpm());
            headers.putSingle("x-ratelimit-remaining-requests", a.remainingRequests());
            headers.putSingle("x-ratelimit-reset-requests", reset);
        }
        if (a.key().tpm() != null) {
            headers.putSingle("x-ratelimit-limit-tokens", a.key().tpm());
            headers.putSingle("x-ratelimit-remaining-tokens", a.remainingTokens());
            headers.putSingle("x-ratelimit-reset-tokens", reset);
        }
    }
}
