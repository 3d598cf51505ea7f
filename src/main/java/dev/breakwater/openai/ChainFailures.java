package dev.breakwater.openai;

import dev.breakwater.api.OpenAiError;
import dev.breakwater.api.Problem;
import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.resilience.Failure;
import jakarta.ws.rs.core.Response;

/**
 * An exhausted chain as the caller sees it: a problem document whose detail is the upstream's own
 * (sanitized) reason, never a made-up one. It also carries an OpenAI-style {@code error} object so
 * OpenAI SDKs show the same message.
 */
final class ChainFailures {

    private ChainFailures() {
    }

    /** The whole failed answer: the problem document, with the attempts header and the last upstream's Retry-After. */
    static Response toResponse(String chain, FallbackResult<?> result) {
        Problem problem = toProblem(chain, result).toProblem();
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem)
                .header(OpenAiResource.ATTEMPTS_HEADER, result.upstreamCalls())
                .header(OpenAiResource.DEGRADED_HEADER, true);
        result.failure().retryAfter().ifPresent(d -> response.header("Retry-After", Math.max(1, d.toSeconds())));
        return response.build();
    }

    /** The problem document of a failed walk (chat, embeddings) of the chain named {@code chain}. */
    static ProblemException toProblem(String chain, FallbackResult<?> result) {
        Failure failure = result.failure();
        int status = status(failure, result.upstreamCalls());
        ProblemException problem = new ProblemException(status, title(status), failure.message())
                .with("chain", chain)
                .with("attempts", result.attempts());
        if (failure.httpStatus() != 0) {
            problem.with("upstream_status", failure.httpStatus());
        }
        return problem.error(new OpenAiError(failure.message(), OpenAiError.typeFor(status), null,
                failure.kind().name().toLowerCase()));
    }

    private static int status(Failure failure, long upstreamCalls) {
        if (upstreamCalls == 0 && failure.httpStatus() == 0) {
            return 503; // no model could even be called: open breakers or missing keys
        }
        return switch (failure.kind()) {
            case CONTENT_POLICY -> 422;
            case CONTEXT_LENGTH -> 400;
            case TIMEOUT, DEADLINE -> 504;
            case OPEN_CIRCUIT -> 503;
            case TRANSIENT -> failure.httpStatus() == 429 ? 429 : 502;
            case MISCONFIGURED, NOT_FOUND, BAD_ANSWER, ERROR -> 502;
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 422 -> "Refused by the provider's content policy";
            case 400 -> "Input does not fit any model's context window";
            case 429 -> "Rate limited by every upstream";
            case 503 -> "No model available";
            case 504 -> "No model answered in time";
            default -> "Every model failed";
        };
    }
}
