package dev.breakwater.config;

/** Wire protocol of a model. {@code OPENAI} covers any OpenAI-compatible base URL. */
public enum Provider {
    OPENAI, ANTHROPIC, LOCAL;

    public String id() {
        return name().toLowerCase();
    }

    public boolean isCloud() {
        return this != LOCAL;
    }
}
