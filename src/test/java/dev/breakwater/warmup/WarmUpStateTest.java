package dev.breakwater.warmup;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmUpStateTest {

    @Test
    void theSecretCountsOnlyWhileTheWarmUpRuns() {
        WarmUpState state = new WarmUpState();
        assertFalse(state.isWarmUp(state.secret()), "before it starts");
        state.started();
        assertTrue(state.isWarmUp(state.secret()));
        assertFalse(state.isWarmUp(state.secret().substring(1) + "0"), "a wrong secret");
        assertFalse(state.isWarmUp(null), "no header");
        state.done();
        assertFalse(state.isWarmUp(state.secret()), "after it is over");
    }

    @Test
    void everyProcessHasItsOwnSecret() {
        assertFalse(new WarmUpState().secret().equals(new WarmUpState().secret()));
    }
}
