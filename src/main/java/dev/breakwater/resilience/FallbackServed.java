package dev.breakwater.resilience;

/**
 * An answer was served by a fallback tier because {@code service} could not answer: {@code fallback}
 * names the tier ({@code cache}, {@code default}, ...). Published for the fallback-usage metric.
 */
public record FallbackServed(String service, String fallback) {
}
