package dev.breakwater.config;

import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Embedding spaces: an embeddings chain holds one space, a chat chain no embeddings model; every problem named by key. */
class ConfigValidatorEmbeddingsTest {

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("breakwater.models[0].name", "gpt-4o");
        p.put("breakwater.models[0].provider", "openai");
        p.put("breakwater.models[1].name", "local");
        p.put("breakwater.models[1].provider", "local");
        p.put("breakwater.models[2].name", "te3-openai");
        p.put("breakwater.models[2].provider", "openai");
        p.put("breakwater.models[2].embedding-space", "te3-small");
        p.put("breakwater.models[3].name", "te3-azure");
        p.put("breakwater.models[3].provider", "openai");
        p.put("breakwater.models[3].embedding-space", "te3-small");
        p.put("breakwater.chains.categorizer.models[0]", "gpt-4o");
        p.put("breakwater.chains.categorizer.models[1]", "local");
        p.put("breakwater.chains.vectors.kind", "embeddings");
        p.put("breakwater.chains.vectors.models[0]", "te3-openai");
        p.put("breakwater.chains.vectors.models[1]", "te3-azure");
        p.put("breakwater.chains.offline.kind", "embeddings");
        p.put("breakwater.chains.offline.models[0]", "local");
        return p;
    }

    private static List<String> problems(Map<String, String> properties) {
        GatewayConfig config = GatewayConfigLoader.load(new PropertiesConfigSource(properties, "test", 100));
        return ConfigValidator.problems(config, Set.of("ghg-scope3"));
    }

    @Test
    void oneSpacePerEmbeddingsChainIsValidAndChainsAreChatByDefault() {
        assertEquals(List.of(), problems(valid()));
        GatewayConfig config = GatewayConfigLoader.load(new PropertiesConfigSource(valid(), "test", 100));
        assertEquals(ChainKind.CHAT, config.chains().get("categorizer").kind());
        assertEquals(ChainKind.EMBEDDINGS, config.chains().get("vectors").kind());
    }

    @Test
    void anEmbeddingsChainMixingSpacesIsRefused() {
        Map<String, String> p = valid();
        p.put("breakwater.chains.vectors.models[2]", "local");
        assertEquals(List.of("breakwater.chains.vectors.models mixes embedding spaces {te3-openai=te3-small, "
                + "te3-azure=te3-small, local=all-minilm-l6-v2}: falling over between them would mix vector spaces; "
                + "an embeddings chain holds one space"), problems(p));
    }

    @Test
    void everyModelOfAnEmbeddingsChainDeclaresItsSpaceAndChatChainsHoldNoEmbeddingsModel() {
        Map<String, String> p = valid();
        p.put("breakwater.chains.vectors.models[2]", "gpt-4o");
        p.put("breakwater.chains.categorizer.models[2]", "te3-azure");
        assertEquals(List.of(
                "breakwater.chains.categorizer.models names embeddings model 'te3-azure' (embedding-space te3-small) "
                        + "in a chat chain: set kind: embeddings or remove it",
                "breakwater.chains.vectors.models names 'gpt-4o', which declares no embedding-space: every model of an "
                        + "embeddings chain must declare one"), problems(p).stream().sorted().toList());
    }

    @Test
    void spacesAreCheckedPerProvider() {
        Map<String, String> p = valid();
        p.put("breakwater.models[1].embedding-space", "te3-small");
        p.put("breakwater.models[4].name", "claude");
        p.put("breakwater.models[4].provider", "anthropic");
        p.put("breakwater.models[4].embedding-space", "claude-space");
        p.put("breakwater.models[3].embedding-space", "two words");
        // The gateway has no embeddings client for Gemini (nor Azure OpenAI, Bedrock).
        p.put("breakwater.models[5].name", "flash");
        p.put("breakwater.models[5].provider", "gemini");
        p.put("breakwater.models[5].embedding-space", "gemini-space");
        List<String> problems = problems(p);
        assertEquals(List.of(
                "breakwater.models[1].embedding-space of a local model is always 'all-minilm-l6-v2', got 'te3-small'",
                "breakwater.models[3].embedding-space must be 1-128 characters of letters, digits and . _ : / -, got 'two words'",
                "breakwater.models[4].embedding-space: provider anthropic has no embeddings API",
                "breakwater.models[5].embedding-space: provider gemini has no embeddings API"), problems.subList(0, 4));
    }

    @Test
    void categorizationCannotRunOnAnEmbeddingsChain() {
        Map<String, String> p = valid();
        p.put("breakwater.categorize.chain", "vectors");
        assertEquals(List.of("breakwater.categorize.chain names embeddings chain 'vectors': categorization needs a chat chain"),
                problems(p));
    }
}
