package dev.breakwater.telemetry;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The operations tests' gateway ({@code ops-gateway.yaml}): gpt-4o on a FakeUpstream whose port is
 * chosen here, a tiny breaker threshold and a 10 s recovery timeout. Ports travel as system properties
 * because the profile and the test class may live in different class loaders.
 */
public class OpsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.config.locations", "src/test/resources/ops-gateway.yaml",
                "breakwater-test.upstream", "http://127.0.0.1:" + upstreamPort(),
                "breakwater-test.closed-port", Integer.toString(port("ops-test.closed-port")),
                "BREAKWATER_TEST_KEY", "test-key");
    }

    public static int upstreamPort() {
        return port("ops-test.upstream-port");
    }

    private static synchronized int port(String property) {
        String known = System.getProperty(property);
        if (known != null) {
            return Integer.parseInt(known);
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            System.setProperty(property, Integer.toString(socket.getLocalPort()));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same gateway whose categorization chain has no local model: every tier can be down. */
    public static class CloudOnly extends OpsProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            var overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("breakwater.categorize.chain", "cloud-only");
            return overrides;
        }
    }
}
