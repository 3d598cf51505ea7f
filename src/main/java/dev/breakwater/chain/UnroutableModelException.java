package dev.breakwater.chain;

import java.util.List;

/** A requested model names nothing the gateway can chat with; {@code available} lists what it can. */
public class UnroutableModelException extends RuntimeException {

    private final List<String> available;

    public UnroutableModelException(String message, List<String> available) {
        super(message, null, false, false);
        this.available = List.copyOf(available);
    }

    public List<String> available() {
        return available;
    }
}
