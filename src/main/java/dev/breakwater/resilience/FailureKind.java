package dev.breakwater.resilience;

/**
 * What a failed attempt means for the chain. Three questions decide the handling: retry the same
 * model? count it against the model's breaker? try the next model?
 */
public enum FailureKind {
    /** 429, 5xx, connection reset: retry with back-off, then fall over. */
    TRANSIENT(true, true, true),
    /** The model went silent: fall over at once, retrying a silent model only burns the deadline. */
    TIMEOUT(false, true, true),
    /** 401/403, a 404 for the model or the URL, or another 4xx that is not the caller's: this model is misconfigured; retrying cannot help. */
    MISCONFIGURED(false, true, true),
    /**
     * The upstream rejected the caller's request as invalid (a 400/404/422 {@code invalid_request_error}
     * such as {@code temperature: -5}): the caller's to fix, and the next model would refuse it too.
     * Relayed as is; a chain may set {@code caller-error-fallback} to try the next model anyway.
     */
    CALLER_ERROR(false, false, false),
    /** The input does not fit this model's context window: another model may take it. Not the model's fault. */
    CONTEXT_LENGTH(false, false, true),
    /** The answer failed the quality check (malformed, off-taxonomy, low confidence). */
    BAD_ANSWER(false, true, true),
    /** The provider refused the caller's input. About the caller, not the model: stop unless the chain allows falling over. */
    CONTENT_POLICY(false, false, false),
    /** The request's own time budget ran out: stop, nobody's fault. */
    DEADLINE(false, false, false),
    /** The caller hung up: stop at once, start nothing more; nobody's fault. */
    CANCELLED(false, false, false),
    /**
     * The upstream answered that the thing asked for does not exist (a factor broker 404): a valid
     * answer to relay, so neither retried, nor held against the service, nor replaced by a fallback.
     */
    NOT_FOUND(false, false, false),
    /**
     * The request holds a field this model's provider cannot take (e.g. {@code seed} for Anthropic):
     * found before any call, so nothing to retry and nothing against the model; another model may take it.
     */
    UNSUPPORTED_FIELD(false, false, true),
    /** The model's breaker is open: skipped without a call. */
    OPEN_CIRCUIT(false, false, true),
    /** Anything unexpected: do not retry blindly, move on. */
    ERROR(false, true, true);

    private final boolean retryable;
    private final boolean countsAgainstBreaker;
    private final boolean fallsOver;

    FailureKind(boolean retryable, boolean countsAgainstBreaker, boolean fallsOver) {
        this.retryable = retryable;
        this.countsAgainstBreaker = countsAgainstBreaker;
        this.fallsOver = fallsOver;
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean countsAgainstBreaker() {
        return countsAgainstBreaker;
    }

    public boolean fallsOver() {
        return fallsOver;
    }
}
