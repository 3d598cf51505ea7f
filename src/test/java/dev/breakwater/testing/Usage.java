package dev.breakwater.testing;

/** Token counts reported in an answer's {@code usage} block. */
public record Usage(int promptTokens, int completionTokens) {

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
