package dev.breakwater.deploy;

import dev.breakwater.testing.AotTraining;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.GatewayProcesses;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged gateway's AOT cache as bin/aot-cache and the container build make it (JDK 25+): a short
 * training run writes it, and a gateway started as bin/run, the benchmarks and the image start it (same
 * jar, same module options: a cache made with other {@code --enable-native-access} or {@code --add-opens}
 * is refused) maps it and takes the application's own classes from it.
 */
class AotCacheIT {

    @TempDir
    Path work;

    @Test
    void aGatewayStartsFromItsTrainedCacheWithTheApplicationClassesInIt() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25; this is " + Runtime.version());
        Path cache = new AotTraining(GatewayProcesses.JAR.getParent(), work.resolve("app.aot"), Duration.ofSeconds(3), List.of())
                .run();

        try (FakeUpstream upstream = FakeUpstream.start(); GatewayProcesses gateways = new GatewayProcesses(work.resolve("run"))) {
            Path yaml = Files.writeString(work.resolve("gateway.yaml"), """
                    breakwater:
                      models:
                        - {name: primary, provider: openai, model: gpt-4o, base-url: '%s/v1', api-key-env: %s}
                      chains:
                        categorizer: {models: [primary]}
                      cache: {enabled: false}
                    """.formatted(upstream.baseUrl(), GatewayProcesses.KEY_ENV));
            // -XX:AOTMode=on: a cache this JVM cannot map stops it at start instead of being skipped.
            String gateway = gateways.launch("aot", yaml, Map.of(), Map.of(),
                    List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-Xlog:class+load=info"));
            gateways.awaitReady(List.of(gateway));

            HttpResponse<String> chat = GatewayProcesses.HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, chat.statusCode(), chat.body());
        }
        String log = Files.readString(work.resolve("run").resolve("gateway-aot.log"));
        assertTrue(log.contains("dev.breakwater.startup.GatewayStartup source: shared objects file"),
                "the gateway's own classes come from the AOT cache; see " + work.resolve("run"));
    }
}
