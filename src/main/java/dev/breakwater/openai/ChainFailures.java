package dev.breakwater.openai;

import dev.breakwater.api.OpenAiError;
import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.resilience.Failure;

/**
 * An exhausted chain as the caller sees it: a problem document whose detail is the upstream's own
 * (sanitized) reason, never a made-up one. It also carries an OpenAI-style {@code error} object so
 * OpenAI SDKs show the same message.
 */
final class ChainFailures {

    private ChainFailures() {
    }

    static ProblemException toProblem(ChatOutcome outcome) {
        FallbackResult<ModelReply> result = outcome.result();
        Failure failure = result.failure();
        int status = status(failure, outcome.upstreamCalls());
        ProblemException problem = new ProblemException(status, title(status), failure.message())
                .with("chain", outcome.chain().name())
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
            case OPEN_CIRCUIT, BUSY -> 503;
            case TRANSIENT -> failure.httpStatus() == 429 ? 429 : 502;
            case MISCONFIGURED, NOT_FOUND, BAD_ANSWER, LOW_CONFIDENCE, ERROR -> 502;
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
