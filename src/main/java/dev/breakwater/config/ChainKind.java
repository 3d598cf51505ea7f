package dev.breakwater.config;

/** What a chain answers: chat completions and categorization, or embeddings (whose models must share one vector space). */
public enum ChainKind {
    CHAT, EMBEDDINGS;

    public String id() {
        return name().toLowerCase();
    }
}
