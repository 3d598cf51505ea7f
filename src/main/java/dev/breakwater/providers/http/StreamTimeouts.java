package dev.breakwater.providers.http;

import java.time.Duration;

/**
 * Limits on a streamed (SSE) answer once its headers have arrived: the first event must come within
 * {@code firstToken}, each later one within {@code idle} of the previous. The per-attempt timeout
 * still bounds the whole attempt.
 */
public record StreamTimeouts(Duration firstToken, Duration idle) {
}
