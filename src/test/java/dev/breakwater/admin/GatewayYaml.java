package dev.breakwater.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway YAML the admin tests run on and rewrite: two cloud models on fake upstreams and the
 * local model, short breaker settings (two failures open a breaker; no retries), cache off.
 */
public record GatewayYaml(String openaiUrl, String anthropicUrl, List<String> chain, List<String> models,
                          int claudeFailureThreshold, String extraChainEntry) {

    public static final String GPT = "gpt-4o";
    public static final String CLAUDE = "claude-3-sonnet";
    public static final String LOCAL = "local";

    public static GatewayYaml of(String openaiUrl, String anthropicUrl) {
        return new GatewayYaml(openaiUrl, anthropicUrl, List.of(GPT, CLAUDE, LOCAL), List.of(GPT, CLAUDE, LOCAL), 2, null);
    }

    public GatewayYaml chain(String... names) {
        return new GatewayYaml(openaiUrl, anthropicUrl, List.of(names), models, claudeFailureThreshold, extraChainEntry);
    }

    /** Only these models are configured at all. */
    public GatewayYaml models(String... names) {
        return new GatewayYaml(openaiUrl, anthropicUrl, chain, List.of(names), claudeFailureThreshold, extraChainEntry);
    }

    public GatewayYaml claudeFailureThreshold(int threshold) {
        return new GatewayYaml(openaiUrl, anthropicUrl, chain, models, threshold, extraChainEntry);
    }

    /** A raw line added under {@code chains.categorizer} (for invalid-config tests). */
    public GatewayYaml extraChainEntry(String line) {
        return new GatewayYaml(openaiUrl, anthropicUrl, chain, models, claudeFailureThreshold, line);
    }

    public String render() {
        List<String> lines = new ArrayList<>(List.of(
                "breakwater:",
                "  request-deadline: 20s",
                "  categorize:",
                "    chain: categorizer",
                "  resilience:",
                "    circuit-breaker: {failure-threshold: 2, recovery-timeout: 60s, success-threshold: 1}",
                "    retry: {max-retries: 0, base-delay: 10ms, max-delay: 50ms, min-delay: 10ms}",
                "    timeout: {default: 10s, llm-api: 10s}",
                "  models:"));
        if (models.contains(GPT)) {
            lines.addAll(List.of(
                    "    - name: " + GPT,
                    "      provider: openai",
                    "      model: gpt-4o",
                    "      base-url: " + openaiUrl + "/v1"));
        }
        if (models.contains(CLAUDE)) {
            lines.addAll(List.of(
                    "    - name: " + CLAUDE,
                    "      provider: anthropic",
                    "      model: claude-3-sonnet-20240229",
                    "      base-url: " + anthropicUrl + "/v1/",
                    "      circuit-breaker: {failure-threshold: " + claudeFailureThreshold + "}"));
        }
        if (models.contains(LOCAL)) {
            lines.addAll(List.of(
                    "    - name: " + LOCAL,
                    "      provider: local",
                    "      model: all-minilm-l6-v2-q"));
        }
        lines.addAll(List.of(
                "  chains:",
                "    categorizer:",
                "      models: [" + String.join(", ", chain) + "]"));
        if (extraChainEntry != null) {
            lines.add("      " + extraChainEntry);
        }
        lines.addAll(List.of(
                "  cache:",
                "    enabled: false"));
        return String.join("\n", lines) + "\n";
    }
}
