package dev.breakwater.config;

import java.util.Optional;

/** Wire protocol of a model. {@code OPENAI} covers any OpenAI-compatible base URL. */
public enum Provider {
    OPENAI, ANTHROPIC, AZURE_OPENAI, GEMINI, BEDROCK, LOCAL;

    /** The vector space of the bundled MiniLM model (quantised; close enough to the full model to share its space). */
    public static final String LOCAL_EMBEDDING_SPACE = "all-minilm-l6-v2";

    /** As written in YAML ({@code azure-openai} for {@code AZURE_OPENAI}). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public boolean isCloud() {
        return this != LOCAL;
    }

    /**
     * Whose embeddings API the gateway speaks: OpenAI-compatible servers and the bundled model. Anthropic
     * has none; Azure OpenAI, Gemini and Bedrock get no embeddings client (ModelClientFactory), so an
     * embedding-space on them would be a model that fails every embeddings call.
     */
    public boolean embeds() {
        return this == OPENAI || this == LOCAL;
    }

    /** The bundled model always embeds into the same space; other providers' space is whatever the YAML declares. */
    public Optional<String> fixedEmbeddingSpace() {
        return this == LOCAL ? Optional.of(LOCAL_EMBEDDING_SPACE) : Optional.empty();
    }
}
