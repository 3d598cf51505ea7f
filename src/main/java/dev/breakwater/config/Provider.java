package dev.breakwater.config;

/** Wire protocol of a model. {@code OPENAI} covers any OpenAI-compatible base URL. */
public enum Provider {
    OPENAI, ANTHROPIC, AZURE_OPENAI, GEMINI, BEDROCK, LOCAL;

    /** As written in YAML ({@code azure-openai} for {@code AZURE_OPENAI}). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public boolean isCloud() {
        return this != LOCAL;
    }
}
