package dev.breakwater.openai;

import dev.breakwater.api.OpenAiError;
import dev.breakwater.api.Problem;
import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
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
    static Response toResponse(ChainOutcome<?> outcome) {
        Problem problem = toProblem(outcome).toProblem();
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem)
                .header(OpenAiResource.ATTEMPTS_HEADER, outcome.upstreamCalls())
                .header(OpenAiResource.DEGRADED_HEADER, true);
        outcome.result().failure().retryAfter().ifPresent(d -> response.header("Retry-After", Math.max(1, d.toSeconds())));
        return response.build();
    }

    /** The problem document of a failed walk (chat, embeddings). */
    static ProblemException toProblem(ChainOutcome<?> outcome) {
        FallbackResult<?> result = outcome.result();
        Failure failure = result.failure();
        int status = status(failure, outcome.upstreamCalls());
        ProblemException problem = new ProblemException(status, title(failure, status), failure.message())
                .with("chain", outcome.chain().name())
                .with("attempts", result.attempts());
        if (failure.httpStatus() != 0) {
            problem.with("upstream_status", failure.httpStatus());
        }
        Failure.UpstreamError upstream = failure.upstreamError();
        if (failure.kind() == FailureKind.UNSUPPORTED_FIELD && upstream != null) {
            problem.with("field", upstream.param());
        }
        if ((failure.kind() == FailureKind.CALLER_ERROR || failure.kind() == FailureKind.UNSUPPORTED_FIELD) && upstream != null) {
            // The caller's own mistake, in the upstream's words: what an SDK shows and a program reads.
            return problem.error(new OpenAiError(failure.message(),
                    upstream.type() != null ? upstream.type() : OpenAiError.typeFor(status), upstream.param(), upstream.code()));
        }
        // About the caller's input (too long, refused): the upstream's code says it best. Anything else
        // (a 401 for the gateway's key, say) is not the caller's business beyond its kind.
        boolean aboutInput = failure.kind() == FailureKind.CONTEXT_LENGTH || failure.kind() == FailureKind.CONTENT_POLICY;
        String code = aboutInput && upstream != null && upstream.code() != null ? upstream.code() : failure.kind().name().toLowerCase();
        return problem.error(new OpenAiError(failure.message(), OpenAiError.typeFor(status),
                aboutInput && upstream != null ? upstream.param() : null, code));
    }

    private static int status(Failure failure, long upstreamCalls) {
        if (failure.kind() == FailureKind.UNSUPPORTED_FIELD) {
            return 400; // only ever the last failure when no model was called: the request itself is the problem
        }
        if (upstreamCalls == 0 && failure.httpStatus() == 0) {
            return 503; // no model could even be called: open breakers or missing keys
        }
        return switch (failure.kind()) {
            case CONTENT_POLICY -> 422;
            case CALLER_ERROR -> failure.httpStatus();
            case CANCELLED -> 499; // nobody reads it: the caller is gone
            case CONTEXT_LENGTH, UNSUPPORTED_FIELD -> 400;
            case TIMEOUT, DEADLINE -> 504;
            case OPEN_CIRCUIT, BUSY -> 503;
            case TRANSIENT -> failure.httpStatus() == 429 ? 429 : 502;
            case MISCONFIGURED, NOT_FOUND, BAD_ANSWER, LOW_CONFIDENCE, ERROR -> 502;
        };
    }

    private static String title(Failure failure, int status) {
        if (failure.kind() == FailureKind.CALLER_ERROR) {
            return "The model's provider rejected the request as invalid";
        }
        if (failure.kind() == FailureKind.UNSUPPORTED_FIELD) {
            return "Field not supported by the model";
        }
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
