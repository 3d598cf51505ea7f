package dev.breakwater.testing;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.ResilientClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The fakes of {@code providers-gateway.yaml}: two Azure OpenAI resources, Gemini, Bedrock (checking
 * SigV4 with the credentials set here as the SDK's system properties), Anthropic and one OpenAI endpoint.
 */
public class ProviderUpstreams implements QuarkusTestResourceLifecycleManager {

    public static final String KEY = "azure-test-key-0123456789";
    public static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-test";
    public static final String GEMINI_KEY = "AIza-test-gemini-0123456789";
    public static final String AWS_KEY_ID = "AKIATESTBREAKWATER01";
    public static final String AWS_SECRET = "test/secret+key/breakwater0123456789abcd";

    public static FakeUpstream azure;
    public static FakeUpstream entra;
    public static FakeUpstream openai;
    public static FakeUpstream gemini;
    public static FakeUpstream bedrock;
    public static FakeUpstream claude;

    @Override
    public Map<String, String> start() {
        azure = FakeUpstream.start().speak(AzureOpenAi.withKey("gpt4o-prod", "2024-10-21", KEY));
        entra = FakeUpstream.start().speak(AzureOpenAi.withEntraToken("gpt4o-eu", "2025-01-01-preview", TOKEN));
        openai = FakeUpstream.start();
        gemini = FakeUpstream.start().speak(new GeminiApi(GEMINI_KEY));
        bedrock = FakeUpstream.start().speak(new BedrockApi("eu-west-1", AWS_KEY_ID, AWS_SECRET));
        claude = FakeUpstream.start();
        // The SDK's default credentials chain reads these first (SystemPropertyCredentialsProvider).
        System.setProperty("aws.accessKeyId", AWS_KEY_ID);
        System.setProperty("aws.secretAccessKey", AWS_SECRET);
        return Map.of("fake.azure", azure.baseUrl(), "fake.entra", entra.baseUrl(), "fake.openai", openai.baseUrl(),
                "fake.gemini", gemini.baseUrl(), "fake.bedrock", bedrock.baseUrl(), "fake.claude", claude.baseUrl());
    }

    @Override
    public void stop() {
        for (FakeUpstream f : new FakeUpstream[]{azure, entra, openai, gemini, bedrock, claude}) {
            if (f != null) {
                f.close();
            }
        }
    }

    /** Closed breakers and pristine fakes, each answering with {@code "from <name>"} so a response shows who answered. */
    public static void pristine(BreakerRegistry breakers) {
        breakers.all().forEach(ResilientClient::reset);
        restoreDefaults();
        azure.respondWith("from azure");
        entra.respondWith("from entra");
        openai.respondWith("from openai");
        gemini.respondWith("from gemini");
        bedrock.respondWith("from bedrock");
        claude.respondWith("from claude");
    }

    public static void restoreDefaults() {
        azure.restoreDefaults();
        entra.restoreDefaults();
        openai.restoreDefaults();
        gemini.restoreDefaults();
        bedrock.restoreDefaults();
        claude.restoreDefaults();
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
