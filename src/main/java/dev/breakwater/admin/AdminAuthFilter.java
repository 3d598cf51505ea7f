package dev.breakwater.admin;

import dev.breakwater.api.Problem;
import dev.breakwater.api.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * The admin API's bearer-token check. Without a configured token the API does not exist (404);
 * a missing or wrong token is 401. Neither the configured nor the presented token is ever logged
 * or echoed.
 */
@Provider
@AdminOnly
public class AdminAuthFilter implements ContainerRequestFilter {

    private static final String SCHEME = "Bearer ";

    private final AdminToken token;

    public AdminAuthFilter(AdminToken token) {
        this.token = token;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!token.configured()) {
            throw new ProblemException(404, "Not Found",
                    "the admin API is disabled: set breakwater.admin.token (environment variable BREAKWATER_ADMIN_TOKEN) to enable it");
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
        if (!bearer || !token.matches(header.substring(SCHEME.length()).strip())) {
            Problem problem = new ProblemException(401, "Unauthorized",
                    "the admin API needs the header 'Authorization: Bearer <admin token>'").toProblem();
            request.abortWith(Response.status(401).type(Problem.MEDIA_TYPE)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"breakwater-admin\"").entity(problem).build());
        }
    }
}
