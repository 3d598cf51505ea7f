package dev.breakwater.chain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An embeddings request named models of different vector spaces; {@code spaces} maps each model to its space. */
public class MixedEmbeddingSpacesException extends RuntimeException {

    private final Map<String, String> spaces;

    public MixedEmbeddingSpacesException(String message, Map<String, String> spaces) {
        super(message, null, false, false);
        this.spaces = Collections.unmodifiableMap(new LinkedHashMap<>(spaces));
    }

    public Map<String, String> spaces() {
        return spaces;
    }
}
