package dev.breakwater.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The order in which a model's deployments are tried: those that can take a call (configured, breaker
 * not open) drawn one after the other with a probability proportional to their weight, so the first
 * pick splits the traffic by weight and the rest are the in-model fail-over; then the others, which
 * the walk records as skipped. A single-endpoint model is just itself.
 */
final class DeploymentOrder {

    private final RandomGenerator random;

    DeploymentOrder(RandomGenerator random) {
        this.random = random;
    }

    /** Draws from the calling thread's generator: no contention between requests. */
    static DeploymentOrder threadLocal() {
        return new DeploymentOrder(() -> ThreadLocalRandom.current().nextLong());
    }

    List<ModelEndpoint> of(ModelEndpoint model) {
        if (model.deployments().isEmpty()) {
            return List.of(model);
        }
        List<ModelEndpoint> ready = new ArrayList<>();
        List<ModelEndpoint> rest = new ArrayList<>();
        for (ModelEndpoint d : model.deployments()) {
            (d.available() && !d.resilience().isOpenAndWaiting() ? ready : rest).add(d);
        }
        List<ModelEndpoint> out = new ArrayList<>(model.deployments().size());
        while (!ready.isEmpty()) {
            out.add(ready.remove(draw(ready)));
        }
        out.addAll(rest);
        return out;
    }

    private int draw(List<ModelEndpoint> candidates) {
        long total = candidates.stream().mapToLong(ModelEndpoint::weight).sum();
        long ticket = random.nextLong(total);
        for (int i = 0; i < candidates.size(); i++) {
            ticket -= candidates.get(i).weight();
            if (ticket < 0) {
                return i;
            }
        }
        return candidates.size() - 1;
    }
}
