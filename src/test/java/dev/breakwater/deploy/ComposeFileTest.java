package dev.breakwater.deploy;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.breakwater.deploy.Yamls.ROOT;
import static dev.breakwater.deploy.Yamls.at;
import static dev.breakwater.deploy.Yamls.list;
import static dev.breakwater.deploy.Yamls.map;
import static dev.breakwater.deploy.Yamls.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker engine runs where the tests run, so docker-compose.yml is checked for consistency
 * instead: everything it references exists, and the gateway, mocks, Redis, Prometheus and Grafana
 * find each other under the service names and ports the compose file gives them.
 */
class ComposeFileTest {

    /** A COPY's flags and its source; a {@code --from=stage} source is a file of an earlier build stage. */
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+((?:--\\S+\\s+)*)(\\S+)\\s+\\S+\\s*$");

    private final Map<String, Object> compose = Yamls.load(ROOT.resolve("docker-compose.yml"));
    private final Map<String, Object> services = map(compose.get("services"));

    @Test
    void stackHasTheDemoServices() {
        assertEquals(List.of("gateway", "mock-primary", "mock-secondary", "redis", "prometheus", "grafana"),
                List.copyOf(services.keySet()));
    }

    @Test
    void everyReferencedFileExists() {
        List<String> missing = new ArrayList<>();
        services.forEach((name, service) -> {
            String dockerfile = string(service, "build", "dockerfile");
            if (dockerfile != null) {
                Path context = ROOT.resolve(string(service, "build", "context"));
                Path file = context.resolve(dockerfile);
                if (!Files.isRegularFile(file)) {
                    missing.add(name + ": build.dockerfile " + dockerfile);
                } else {
                    missing.addAll(missingCopySources(name, context, file));
                }
            }
            for (Object volume : list(at(service, "volumes"))) {
                String host = String.valueOf(volume).split(":")[0];
                if (host.startsWith(".") && !Files.exists(ROOT.resolve(host))) {
                    missing.add(name + ": volume " + host);
                }
            }
        });
        assertEquals(List.of(), missing);
    }

    @Test
    void gatewayReachesRedisUnderItsServiceName() {
        URI redis = URI.create(env("gateway", "QUARKUS_REDIS_HOSTS"));
        assertEquals("redis", redis.getScheme());
        assertTrue(services.containsKey(redis.getHost()), "no compose service named " + redis.getHost());
        assertEquals(6379, redis.getPort(), "redis-server listens on its default port 6379");
        assertTrue(string(services.get(redis.getHost()), "image").startsWith("redis:"));
    }

    @Test
    void gatewayPublishesThePortQuarkusListensOn() throws Exception {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        int httpPort = Integer.parseInt(properties.getProperty("quarkus.http.port", "8080"));
        assertEquals(httpPort, containerPorts("gateway").getFirst());
    }

    @Test
    void demoModelsPointAtTheMockServices() throws Exception {
        Path config = mountedGatewayConfig();
        List<String> checked = new ArrayList<>();
        for (Object model : list(at(Yamls.load(config), "breakwater", "models"))) {
            String baseUrl = string(model, "base-url");
            if (baseUrl == null) {
                continue; // the local model
            }
            URI url = URI.create(baseUrl);
            assertTrue(services.containsKey(url.getHost()), baseUrl + ": no compose service named " + url.getHost());
            assertEquals(env(url.getHost(), "MOCK_PORT"), String.valueOf(url.getPort()),
                    baseUrl + " does not match the mock's MOCK_PORT");
            String keyVariable = string(model, "api-key-env");
            assertFalse(env("gateway", keyVariable).isBlank(),
                    "the gateway needs " + keyVariable + " set, or the model is skipped as not configured");
            checked.add(url.getHost());
        }
        assertEquals(List.of("mock-primary", "mock-secondary"), checked);
        assertEquals(List.of(), Yamls.gatewayConfigProblems(config), "config/demo/gateway.yaml must start the gateway");
    }

    @Test
    void prometheusScrapesTheGatewayAndLoadsTheAlertRules() {
        Path dir = hostDirMountedAt("prometheus", "/etc/prometheus");
        String configFlag = list(at(services.get("prometheus"), "command")).stream().map(String::valueOf)
                .filter(arg -> arg.startsWith("--config.file=")).findFirst().orElse("--config.file=/etc/prometheus/prometheus.yml");
        Path configFile = dir.resolve(Path.of("/etc/prometheus").relativize(Path.of(configFlag.substring("--config.file=".length()))));
        Map<String, Object> prometheus = Yamls.load(configFile);

        List<Object> ruleFiles = list(prometheus.get("rule_files"));
        assertTrue(ruleFiles.contains("alerts.yml"), "prometheus.yml must load alerts.yml, has " + ruleFiles);
        ruleFiles.forEach(rule -> assertTrue(Files.isRegularFile(dir.resolve(String.valueOf(rule))), "missing rule file " + rule));

        String gatewayTarget = "gateway:" + containerPorts("gateway").getFirst();
        Optional<Object> job = list(prometheus.get("scrape_configs")).stream()
                .filter(scrape -> list(at(scrape, "static_configs", 0, "targets")).contains(gatewayTarget))
                .findFirst();
        assertTrue(job.isPresent(), "no scrape job targets " + gatewayTarget);
        assertEquals("/q/metrics", string(job.get(), "metrics_path"));
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheDashboard() throws Exception {
        Path provisioning = hostDirMountedAt("grafana", "/etc/grafana/provisioning");
        List<Object> datasources = new ArrayList<>();
        try (var files = Files.list(provisioning.resolve("datasources"))) {
            files.forEach(f -> datasources.addAll(list(Yamls.load(f).get("datasources"))));
        }
        URI prometheusUrl = URI.create(datasources.stream().filter(d -> "prometheus".equals(string(d, "type")))
                .map(d -> string(d, "url")).findFirst().orElseThrow(() -> new AssertionError("no prometheus data source")));
        assertEquals("prometheus", prometheusUrl.getHost());
        assertEquals(containerPorts("prometheus").getFirst(), prometheusUrl.getPort());

        List<String> dashboardPaths = new ArrayList<>();
        try (var files = Files.list(provisioning.resolve("dashboards"))) {
            files.forEach(f -> list(Yamls.load(f).get("providers"))
                    .forEach(p -> dashboardPaths.add(string(p, "options", "path"))));
        }
        assertFalse(dashboardPaths.isEmpty(), "no dashboard provider");
        for (String path : dashboardPaths) {
            Path dashboards = hostDirMountedAt("grafana", path);
            assertTrue(Files.isRegularFile(dashboards.resolve("breakwater.json")), path + " lacks breakwater.json");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private List<String> missingCopySources(String service, Path context, Path dockerfile) {
        List<String> missing = new ArrayList<>();
        Matcher copy = COPY.matcher(Yamls.read(dockerfile));
        while (copy.find()) {
            String source = copy.group(2);
            // Build output (target/) appears after ./mvnw package; sources must be in the repository.
            if (!copy.group(1).contains("--from=") && !source.startsWith("target/") && !Files.exists(context.resolve(source))) {
                missing.add(service + ": " + ROOT.relativize(dockerfile) + " copies missing " + source);
            }
        }
        return missing;
    }

    private Path mountedGatewayConfig() {
        return list(at(services.get("gateway"), "volumes")).stream().map(String::valueOf)
                .filter(v -> v.split(":")[1].equals("/deployments/config/gateway.yaml"))
                .map(v -> ROOT.resolve(v.split(":")[0]).normalize())
                .findFirst().orElseThrow(() -> new AssertionError("gateway mounts no /deployments/config/gateway.yaml"));
    }

    private Path hostDirMountedAt(String service, String containerPath) {
        return list(at(services.get(service), "volumes")).stream().map(String::valueOf)
                .filter(v -> v.split(":")[1].equals(containerPath))
                .map(v -> ROOT.resolve(v.split(":")[0]).normalize())
                .findFirst().orElseThrow(() -> new AssertionError(service + " mounts nothing at " + containerPath));
    }

    private String env(String service, String variable) {
        Object value = at(services.get(service), "environment", variable);
        assertTrue(value != null, service + " does not set " + variable);
        return String.valueOf(value);
    }

    /** Container side of each "host:container" port mapping. */
    private List<Integer> containerPorts(String service) {
        return list(at(services.get(service), "ports")).stream()
                .map(p -> Integer.parseInt(String.valueOf(p).substring(String.valueOf(p).lastIndexOf(':') + 1)))
                .toList();
    }
}
