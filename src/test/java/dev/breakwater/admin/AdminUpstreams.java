package dev.breakwater.admin;

import dev.breakwater.testing.FakeUpstream;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the fake OpenAI and Anthropic upstreams and writes the gateway YAML pointing at them, before
 * the application starts. Tests get an {@link Upstreams} field injected to steer the fakes and
 * rewrite the file.
 */
public class AdminUpstreams implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-admin-token-0123456789";
    static final Path YAML = Path.of("target", "admin-test", "gateway.yaml").toAbsolutePath();

    private Upstreams upstreams;

    @Override
    public Map<String, String> start() {
        upstreams = new Upstreams(FakeUpstream.start(), FakeUpstream.start());
        writeYaml(upstreams.baseline());
        return Map.of();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(upstreams, new TestInjector.MatchesType(Upstreams.class));
    }

    @Override
    public void stop() {
        upstreams.openai().close();
        upstreams.anthropic().close();
    }

    static void writeYaml(GatewayYaml config) {
        try {
            Files.createDirectories(YAML.getParent());
            Files.writeString(YAML, config.render());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Upstreams(FakeUpstream openai, FakeUpstream anthropic) {

        public GatewayYaml baseline() {
            return GatewayYaml.of(openai.baseUrl(), anthropic.baseUrl());
        }

        public void write(GatewayYaml config) {
            writeYaml(config);
        }

        public void restoreDefaults() {
            openai.restoreDefaults();
            anthropic.restoreDefaults();
        }
    }
}
