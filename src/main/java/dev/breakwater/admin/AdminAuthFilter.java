package dev.breakwater.admin;

import dev.breakwater.api.Problem;
import dev.breakwater.api.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.time.Duration;
import java.util.Optional;

/**
 * The admin API's bearer-token check. Without a configured token the API does not exist (404);
 * a missing or wrong token is 401, and an address past its allowance of wrong tokens is 429
 * ({@link AdminGuessThrottle}). Neither the configured nor the presented token is ever logged or echoed.
 */
@Provider
@AdminOnly
public class AdminAuthFilter implements ContainerRequestFilter {

    private static final String SCHEME = "Bearer ";

    private final AdminToken token;
    private final AdminGuessThrottle throttle;
    /** The current request (a request-scoped proxy), for its TCP peer. */
    private final HttpServerRequest http;

    public AdminAuthFilter(AdminToken token, AdminGuessThrottle throttle, HttpServerRequest http) {
        this.token = token;
        this.throttle = throttle;
        this.http = http;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!token.configured()) {
            throw new ProblemException(404, "Not Found",
                    "the admin API is disabled: set breakwater.admin.token (environment variable BREAKWATER_ADMIN_TOKEN) to enable it");
        }
        String address = remoteAddress();
        Optional<Duration> wait = throttle.waitFor(address);
        if (wait.isPresent()) {
            request.abortWith(tooManyGuesses(wait.get()));
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
        if (!bearer || !token.matches(header.substring(SCHEME.length()).strip())) {
            if (throttle.failed(address)) {
                request.abortWith(tooManyGuesses(throttle.waitFor(address).orElse(AdminGuessThrottle.WINDOW)));
                return;
            }
            Problem problem = new ProblemException(401, "Unauthorized",
                    "the admin API needs the header 'Authorization: Bearer <admin token>'").toProblem();
            request.abortWith(Response.status(401).type(Problem.MEDIA_TYPE)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"breakwater-admin\"").entity(problem).build());
        }
    }

    private static Response tooManyGuesses(Duration wait) {
        Problem problem = new ProblemException(429, "Too Many Requests", "more than " + AdminGuessThrottle.MAX_FAILURES
                + " wrong admin tokens from this address within a minute; try again in " + wait.toSeconds() + " s")
                .with("retry_after_seconds", wait.toSeconds()).toProblem();
        return Response.status(429).type(Problem.MEDIA_TYPE).header("Retry-After", Long.toString(wait.toSeconds()))
                .entity(problem).build();
    }

    /** The TCP peer: forwarded headers are the caller's to forge, so they never decide whose guesses these are. */
    private String remoteAddress() {
        SocketAddress peer = http.remoteAddress();
        return peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
    }
}
