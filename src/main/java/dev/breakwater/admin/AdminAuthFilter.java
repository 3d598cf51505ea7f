package dev.breakwater.admin;

import dev.breakwater.api.Problem;
import dev.breakwater.api.ProblemException;
import dev.breakwater.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The admin API's bearer-token check. Without a configured token the API does not exist (404);
 * a missing or wrong token is 401. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so neither the token's content nor its length leaks through timing.
 * Neither the configured nor the presented token is ever logged or echoed.
 */
@Provider
@AdminOnly
public class AdminAuthFilter implements ContainerRequestFilter {

    private static final String SCHEME = "Bearer ";

    private final Optional<byte[]> expected;

    public AdminAuthFilter(GatewayConfig config) {
        this.expected = config.admin().token().filter(t -> !t.isBlank()).map(AdminAuthFilter::digest);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (expected.isEmpty()) {
            throw new ProblemException(404, "Not Found",
                    "the admin API is disabled: set breakwater.admin.token (environment variable BREAKWATER_ADMIN_TOKEN) to enable it");
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
        if (!bearer || !MessageDigest.isEqual(digest(header.substring(SCHEME.length()).strip()), expected.get())) {
            Problem problem = new ProblemException(401, "Unauthorized",
                    "the admin API needs the header 'Authorization: Bearer <admin token>'").toProblem();
            request.abortWith(Response.status(401).type(Problem.MEDIA_TYPE)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"breakwater-admin\"").entity(problem).build());
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
