package dev.breakwater.categorize;

/** A model's categorization as parsed from its reply; {@code error} is set when the reply was unusable. */
public record CategoryAnswer(String category, Double confidence, String error) {

    static CategoryAnswer malformed(String error) {
        return new CategoryAnswer(null, null, error);
    }
}
