package dev.breakwater.providers;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.testing.ProviderUpstreams;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

/** What the provider tests share: the gateway of providers-gateway.yaml, closed breakers and pristine fakes before each test. */
abstract class ProviderApiTest {

    @Inject
    BreakerRegistry breakers;

    @BeforeEach
    void pristine() {
        ProviderUpstreams.pristine(breakers);
    }
}
