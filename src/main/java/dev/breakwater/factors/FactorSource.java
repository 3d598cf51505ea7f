package dev.breakwater.factors;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which tier answered: the upstream broker, its last answer kept in Redis, or the YAML defaults table. */
public enum FactorSource {
    API, CACHE, DEFAULT;

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }
}
