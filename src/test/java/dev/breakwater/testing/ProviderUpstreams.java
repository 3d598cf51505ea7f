package dev.breakwater.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The fakes of {@code providers-gateway.yaml}: two Azure OpenAI resources, Gemini and one OpenAI endpoint. */
public class ProviderUpstreams implements QuarkusTestResourceLifecycleManager {

    public static final String KEY = "azure-test-key-0123456789";
    public static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-test";
    public static final String GEMINI_KEY = "AIza-test-gemini-0123456789";

    public static FakeUpstream azure;
    public static FakeUpstream entra;
    public static FakeUpstream openai;
    public static FakeUpstream gemini;

    @Override
    public Map<String, String> start() {
        azure = FakeUpstream.start().speak(AzureOpenAi.withKey("gpt4o-prod", "2024-10-21", KEY));
        entra = FakeUpstream.start().speak(AzureOpenAi.withEntraToken("gpt4o-eu", "2025-01-01-preview", TOKEN));
        openai = FakeUpstream.start();
        gemini = FakeUpstream.start().speak(new GeminiApi(GEMINI_KEY));
        return Map.of("fake.azure", azure.baseUrl(), "fake.entra", entra.baseUrl(), "fake.openai", openai.baseUrl(),
                "fake.gemini", gemini.baseUrl());
    }

    @Override
    public void stop() {
        for (FakeUpstream f : new FakeUpstream[]{azure, entra, openai, gemini}) {
            if (f != null) {
                f.close();
            }
        }
    }

    public static void restoreDefaults() {
        azure.restoreDefaults();
        entra.restoreDefaults();
        openai.restoreDefaults();
        gemini.restoreDefaults();
    }

    /** The gateway of {@code providers-gateway.yaml}, with the providers' secrets set. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.config.locations", "src/test/resources/providers-gateway.yaml",
                    "TEST_AZURE_KEY", KEY, "TEST_AZURE_TOKEN", TOKEN, "TEST_GEMINI_KEY", GEMINI_KEY);
        }
    }
}
