package dev.breakwater.factors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.providers.ApiKeys;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Dependencies;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.resilience.ResilientClient;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Tier 1: {@code GET {base-url}/v1/factors/{category}} behind the {@value Dependencies#FACTOR_BROKER}
 * breaker (retry → breaker → timeout, as every other dependency). The API key travels only in the
 * Authorization header; it is never part of a message, a log line or a metric.
 */
@Singleton
public class FactorBrokerClient {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final Dependencies dependencies;
    private final ObjectMapper json;
    private final String baseUrl;
    private final Optional<String> apiKey;
    private final String unavailableReason;

    public FactorBrokerClient(GatewayConfig config, Dependencies dependencies, ObjectMapper json) {
        GatewayConfig.Factors factors = config.factors();
        this.dependencies = dependencies;
        this.json = json;
        dependencies.client(Dependencies.FACTOR_BROKER);
        this.baseUrl = factors.baseUrl().map(u -> u.replaceAll("/+$", "")).orElse(null);
        this.apiKey = factors.apiKeyEnv().flatMap(ApiKeys::resolve);
        if (baseUrl == null) {
            unavailableReason = "no factor broker is configured (breakwater.factors.base-url)";
        } else if (factors.apiKeyEnv().isPresent() && apiKey.isEmpty()) {
            unavailableReason = "API key variable " + factors.apiKeyEnv().get() + " is not set";
        } else {
            unavailableReason = null;
        }
    }

    /**
     * The broker's factor. Fails with the classified reason: the broker's own error, a timeout, the open
     * breaker ({@link FailureKind#OPEN_CIRCUIT}, no call made), or {@link FailureKind#NOT_FOUND}.
     */
    public Factor fetch(String category) throws Exception {
        if (unavailableReason != null) {
            throw new ClassifiedException(Failure.of(FailureKind.MISCONFIGURED, unavailableReason));
        }
        return resilience().call(() -> get(category));
    }

    private Factor get(String category) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/factors/" + category))
                .timeout(resilience().policy().timeout())
                .header("Accept", "application/json")
                .GET();
        apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return FactorBrokerAnswers.read(json, category, response.statusCode(), response.body(),
                response.headers().firstValue("retry-after"));
    }

    /** Looked up on every call: the admin API may have rebuilt the breaker with new settings. */
    private ResilientClient resilience() {
        return dependencies.client(Dependencies.FACTOR_BROKER);
    }
}
