package dev.breakwater.categorize;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an answer came from. */
public enum Source {
    LLM, LOCAL, CACHE, DEFAULT;

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }
}
