package dev.breakwater.categorize;

import dev.breakwater.chain.Attempt;

import java.util.List;

/** A provider refused the caller's text; the caller gets the provider's own reason. */
public class ContentPolicyRefusal extends RuntimeException {

    private final String model;
    private final List<Attempt> attempts;

    public ContentPolicyRefusal(String model, String reason, List<Attempt> attempts) {
        super(reason, null, false, false);
        this.model = model;
        this.attempts = attempts;
    }

    public String model() {
        return model;
    }

    public List<Attempt> attempts() {
        return attempts;
    }
}
