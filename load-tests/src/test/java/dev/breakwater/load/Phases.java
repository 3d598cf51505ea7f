package dev.breakwater.load;

import java.util.Map;

/**
 * The phase of a run that requests are sent in, moved on by the simulation's timeline scenario. Each
 * phase may name the model that must answer in it ("" = either).
 */
final class Phases {

    private final Map<String, String> expectedModels;
    private volatile String current;

    Phases(String first, Map<String, String> expectedModels) {
        this.current = first;
        this.expectedModels = Map.copyOf(expectedModels);
    }

    String current() {
        return current;
    }

    void enter(String phase) {
        if (!expectedModels.containsKey(phase)) {
            throw new IllegalArgumentException("unknown phase " + phase);
        }
        current = phase;
    }

    String expectedModel(String phase) {
        return expectedModels.get(phase);
    }
}
