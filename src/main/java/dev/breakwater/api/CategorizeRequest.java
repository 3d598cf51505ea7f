package dev.breakwater.api;

/** Body of POST /v1/categorize. */
public record CategorizeRequest(String text, String taxonomy) {
}
