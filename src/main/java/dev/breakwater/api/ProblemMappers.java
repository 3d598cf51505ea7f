package dev.breakwater.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.breakwater.categorize.ContentPolicyRefusal;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/**
 * Every error leaves as problem+json. Caller mistakes are 4xx with a message naming what to fix;
 * anything unexpected is a 500 that says nothing internal (the details go to the log).
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.toProblem());
    }

    @ServerExceptionMapper
    public Response contentPolicy(ContentPolicyRefusal e) {
        return respond(new ProblemException(422, "Refused by the provider's content policy", e.getMessage())
                .with("model", e.model())
                .with("attempts", e.attempts())
                .toProblem());
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("Trailing token")) {
            return respond(ProblemException.badRequest("request body is not valid JSON: content follows the JSON document")
                    .toProblem());
        }
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        String detail = field.isEmpty() ? "request body has the wrong shape: expected a JSON object"
                : "field '" + field + "' has the wrong type";
        ProblemException p = ProblemException.badRequest(detail);
        if (!field.isEmpty()) {
            p.with("field", field);
        }
        return respond(p.toProblem());
    }

    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e) {
        return respond(InvalidJson.problem(e).toProblem());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MismatchedInputException mismatched) {
                return mismatched(mismatched);
            }
            if (c instanceof JsonProcessingException json) {
                return invalidJson(json);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new ProblemException(status, title, e.getMessage()).toProblem());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Log.error("unexpected error while handling a request", e);
        return respond(new ProblemException(500, "Internal error",
                "the gateway failed unexpectedly; the error has been logged").toProblem());
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
