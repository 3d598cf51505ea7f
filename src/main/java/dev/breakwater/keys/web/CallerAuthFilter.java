package dev.breakwater.keys.web;

import dev.breakwater.admin.AdminToken;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.keys.KeyCache;
import dev.breakwater.keys.KeyCall;
import dev.breakwater.keys.KeyRefusal;
import dev.breakwater.warmup.WarmUpState;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.security.Principal;
import java.util.List;

/**
 * Who is calling. Every {@code /v1/*} request gets a {@link KeyCall} as its principal: an open call in
 * auth mode {@code open}; in mode {@code keys} the caller key sent as {@code Authorization: Bearer} or
 * {@code x-api-key}, looked up in memory only (no Redis on this path), else 401 {@code invalid_api_key}.
 * In {@code keys} mode the pages that show internal hosts need the admin token; {@code /q/health} stays open.
 */
public class CallerAuthFilter {

    private static final String BEARER = "Bearer ";
    private static final List<String> OPS_PAGES = List.of("/status", "/health/dependencies", "/health/circuit-breakers");

    private final boolean keys;
    private final KeyCache cache;
    private final AdminToken adminToken;
    private final WarmUpState warmUp;

    public CallerAuthFilter(GatewayConfig config, KeyCache cache, AdminToken adminToken, WarmUpState warmUp) {
        this.keys = config.auth().mode() == GatewayConfig.AuthMode.KEYS;
        this.cache = cache;
        this.adminToken = adminToken;
        this.warmUp = warmUp;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/v1/")) {
            // The gateway's own warm-up holds no key; its secret is good only while the warm-up runs.
            KeyCall call = keys && !warmUp.isWarmUp(request.getHeaderString(WarmUpState.HEADER)) ? lookUp(request) : KeyCall.open();
            request.setSecurityContext(new CallerContext(call, request.getSecurityContext()));
        } else if (keys && OPS_PAGES.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))
                && !adminToken.matches(bearer(request))) {
            throw KeyRefusal.invalidKey("with caller keys on, " + path + " needs the header 'Authorization: Bearer <admin token>'");
        }
    }

    private KeyCall lookUp(ContainerRequestContext request) {
        String presented = presentedKey(request);
        long start = System.nanoTime();
        return KeyCall.of(cache.find(presented).orElseThrow(() -> KeyRefusal.invalidKey("the caller key is unknown or revoked")),
                System.nanoTime() - start);
    }

    private static String presentedKey(ContainerRequestContext request) {
        String key = bearer(request);
        if (key == null) {
            key = request.getHeaderString("x-api-key");
        }
        if (key == null || key.isBlank()) {
            throw KeyRefusal.invalidKey("no caller key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
        }
        return key.strip();
    }

    private static String bearer(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
    }

    private record CallerContext(KeyCall call, SecurityContext original) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return call;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return original != null && original.isSecure();
        }

        @Override
        public String getAuthenticationScheme() {
            return "breakwater-key";
        }
    }
}
