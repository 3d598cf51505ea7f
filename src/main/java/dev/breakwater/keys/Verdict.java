package dev.breakwater.keys;

/** The answer of a limit check; each refusal names OpenAI's error code and the metric's reason. */
public enum Verdict {
    ADMITTED(null, null),
    REQUESTS("rate_limit_exceeded", "rpm"),
    TOKENS("rate_limit_exceeded", "tpm"),
    QUOTA("insufficient_quota", "budget");

    private final String code;
    private final String reason;

    Verdict(String code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public String code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    static Verdict parse(String word) {
        return switch (word) {
            case "ok" -> ADMITTED;
            case "requests" -> REQUESTS;
            case "tokens" -> TOKENS;
            case "quota" -> QUOTA;
            default -> throw new IllegalStateException("unknown verdict " + word);
        };
    }
}
