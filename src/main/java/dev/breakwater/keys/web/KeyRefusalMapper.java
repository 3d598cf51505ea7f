package dev.breakwater.keys.web;

import dev.breakwater.api.OpenAiError;
import dev.breakwater.api.Problem;
import dev.breakwater.api.ProblemException;
import dev.breakwater.keys.KeyRefusal;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A key refusal as problem+json with OpenAI's error object, plus {@code Retry-After} on a 429. */
public class KeyRefusalMapper {

    @ServerExceptionMapper
    public Response refusal(KeyRefusal e) {
        String type = "insufficient_quota".equals(e.code()) ? "insufficient_quota" : OpenAiError.typeFor(e.status());
        Problem problem = new ProblemException(e.status(), Response.Status.fromStatusCode(e.status()).getReasonPhrase(), e.getMessage())
                .with("code", e.code())
                .error(new OpenAiError(e.getMessage(), type, e.param(), e.code()))
                .toProblem();
        Response.ResponseBuilder response = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(problem);
        e.retryAfterSeconds().ifPresent(s -> response.header("Retry-After", s));
        if (e.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"breakwater\"");
        }
        return response.build();
    }
}
