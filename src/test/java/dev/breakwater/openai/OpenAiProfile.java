package dev.breakwater.openai;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** One gateway, started once for every OpenAI API test class, wired to the {@link FakeUpstreams}. */
public class OpenAiProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.config.locations", "src/test/resources/openai-test-gateway.yaml");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeUpstreams.class));
    }
}
