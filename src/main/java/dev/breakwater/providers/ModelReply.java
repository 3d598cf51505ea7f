package dev.breakwater.providers;

/** What one model answered. {@code model} is the id the provider reported, which may differ from the configured one. */
public record ModelReply(String content, String finishReason, TokenUsage usage, String model) {
}
