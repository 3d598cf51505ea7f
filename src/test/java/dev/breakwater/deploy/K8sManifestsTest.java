package dev.breakwater.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.breakwater.deploy.Yamls.ROOT;
import static dev.breakwater.deploy.Yamls.at;
import static dev.breakwater.deploy.Yamls.list;
import static dev.breakwater.deploy.Yamls.map;
import static dev.breakwater.deploy.Yamls.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders each overlay of k8s/ (with {@code kubectl kustomize}, and with the built-in parser so the
 * checks also run where kubectl is missing) and checks the objects a deployment depends on.
 */
class K8sManifestsTest {

    private static final Path K8S = ROOT.resolve("k8s");
    private static final boolean KUBECTL = Kustomize.kubectlAvailable();
    /** Renderings are read-only to the tests. */
    private static final Map<String, List<Map<String, Object>>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    static Stream<Arguments> renderings() {
        return Stream.of(Kustomize.values()).flatMap(renderer ->
                Stream.of("dev", "prod").map(overlay -> Arguments.of(renderer, overlay)));
    }

    @Test
    void generatedCopiesMatchConfig() {
        assertEquals(Yamls.read(ROOT.resolve("config/gateway.yaml")), Yamls.read(K8S.resolve("base/generated/gateway.yaml")),
                "k8s/base/generated/gateway.yaml differs from config/gateway.yaml: run k8s/sync.sh");
        assertEquals(Yamls.read(ROOT.resolve("config/grafana/dashboards/breakwater.json")),
                Yamls.read(K8S.resolve("base/generated/breakwater.json")),
                "k8s/base/generated/breakwater.json differs from config/grafana/dashboards/: run k8s/sync.sh");
        assertEquals(alertGroups(), at(Yamls.load(K8S.resolve("base/generated/prometheus-rule.yaml")), "spec", "groups"),
                "the PrometheusRule differs from config/prometheus/alerts.yml: run k8s/sync.sh");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("renderings")
    void overlayHasEveryObject(Kustomize renderer, String overlay) throws Exception {
        Set<String> kinds = render(renderer, overlay).stream().map(o -> string(o, "kind")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(Set.of("ConfigMap", "Deployment", "HorizontalPodAutoscaler",
                "PodDisruptionBudget", "PrometheusRule", "Service", "ServiceMonitor"));
        if (overlay.equals("dev")) {
            expected.addAll(Set.of("Secret", "StatefulSet")); // the empty key template and Redis
        }
        assertEquals(expected, kinds);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("renderings")
    void deploymentProbesResourcesAndGracefulShutdown(Kustomize renderer, String overlay) throws Exception {
        List<Map<String, Object>> objects = render(renderer, overlay);
        Map<String, Object> deployment = one(objects, "Deployment", "breakwater");
        Object pod = at(deployment, "spec", "template", "spec");
        Object container = at(pod, "containers", 0);

        assertEquals("/q/health/live", string(container, "livenessProbe", "httpGet", "path"));
        assertEquals("/q/health/ready", string(container, "readinessProbe", "httpGet", "path"));
        assertEquals("http", string(container, "livenessProbe", "httpGet", "port"));
        assertEquals("http", string(container, "ports", 0, "name"));
        assertEquals(8080, at(container, "ports", 0, "containerPort"));
        for (String bound : List.of("requests", "limits")) {
            assertNotNull(string(container, "resources", bound, "memory"), bound + ".memory");
            assertNotNull(string(container, "resources", bound, "cpu"), bound + ".cpu");
        }
        assertEquals(185, at(pod, "securityContext", "runAsUser"));

        int preStop = Integer.parseInt(string(container, "lifecycle", "preStop", "exec", "command", 1));
        Duration drain = Duration.parse("PT" + envValue(objects, container, "QUARKUS_SHUTDOWN_TIMEOUT").toUpperCase());
        int grace = (Integer) at(pod, "terminationGracePeriodSeconds");
        assertTrue(preStop > 0 && drain.toSeconds() > 0, "needs a preStop pause and a Quarkus shutdown timeout");
        assertTrue(grace > preStop + drain.toSeconds(),
                "terminationGracePeriodSeconds " + grace + " must outlast preStop " + preStop + "s + drain " + drain);

        assertEquals(overlay.equals("prod") ? 3 : 1, at(deployment, "spec", "replicas"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("renderings")
    void podsStartWithTheImagesAotCache(Kustomize renderer, String overlay) throws Exception {
        // The image names its AOT cache in JAVA_OPTS_APPEND (ContainerImageTest); a pod environment that
        // replaces the variable must keep the flag, or every replica starts cold.
        List<Map<String, Object>> objects = render(renderer, overlay);
        Object container = at(one(objects, "Deployment", "breakwater"), "spec", "template", "spec", "containers", 0);
        List<String> values = new ArrayList<>();
        for (Object env : list(at(container, "env"))) {
            if ("JAVA_OPTS_APPEND".equals(string(env, "name"))) {
                values.add(string(env, "value"));
            }
        }
        for (Object source : list(at(container, "envFrom"))) {
            String configMap = string(source, "configMapRef", "name");
            if (configMap != null) {
                String value = string(one(objects, "ConfigMap", configMap), "data", "JAVA_OPTS_APPEND");
                if (value != null) {
                    values.add(value);
                }
            }
        }
        for (String value : values) {
            assertTrue(List.of(value.split("\\s+")).contains("-XX:AOTCache=/deployments/app.aot"),
                    "JAVA_OPTS_APPEND replaces the image's and drops its AOT cache: " + value);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("renderings")
    void scalingAndDisruptionBudgetFitTheReplicas(Kustomize renderer, String overlay) throws Exception {
        List<Map<String, Object>> objects = render(renderer, overlay);
        Map<String, Object> deployment = one(objects, "Deployment", "breakwater");
        int replicas = (Integer) at(deployment, "spec", "replicas");
        Map<String, Object> hpa = one(objects, "HorizontalPodAutoscaler", "breakwater");
        assertEquals("breakwater", string(hpa, "spec", "scaleTargetRef", "name"));
        assertEquals(replicas, at(hpa, "spec", "minReplicas"), "the HPA must not scale below the declared replicas");
        assertTrue((Integer) at(hpa, "spec", "maxReplicas") > replicas);

        Map<String, Object> pdb = one(objects, "PodDisruptionBudget", "breakwater");
        Object minAvailable = at(pdb, "spec", "minAvailable");
        assertTrue(minAvailable == null ? (Integer) at(pdb, "spec", "maxUnavailable") >= 1 : (Integer) minAvailable < replicas,
                "the disruption budget must let a node drain proceed");
        assertTrue(selects(at(pdb, "spec", "selector", "matchLabels"), podLabels(deployment)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("renderings")
    void secretsNeverHoldAValue(Kustomize renderer, String overlay) throws Exception {
        List<Map<String, Object>> objects = render(renderer, overlay);
        Set<String> keyVariables = list(at(Yamls.load(ROOT.resolve("config/gateway.yaml")), "breakwater", "models")).stream()
                .map(m -> string(m, "api-key-env")).filter(v -> v != null).collect(Collectors.toCollection(TreeSet::new));
        for (Map<String, Object> secret : all(objects, "Secret")) {
            for (String field : List.of("data", "stringData")) {
                map(secret.get(field)).forEach((key, value) ->
                        assertTrue(value == null || String.valueOf(value).isEmpty(), "Secret holds a value for " + key));
            }
            assertEquals(keyVariables, new TreeSet<>(map(secret.get("stringData")).keySet()),
                    "the template lists every api-key-env of config/gateway.yaml");
        }
        Object secretRef = at(one(objects, "Deployment", "breakwater"), "spec", "template", "spec", "containers", 0, "envFrom", 1, "secretRef");
        assertEquals("breakwater-provider-keys", string(secretRef, "name"));
        if (overlay.equals("prod")) {
            assertTrue(all(objects, "Secret").isEmpty(), "prod must not apply the empty template over the real keys");
            assertEquals(false, at(secretRef, "optional"), "prod must not start without the provider keys");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("renderings")
    void rulesDashboardAndConfigComeFromConfigDirectory(Kustomize renderer, String overlay) throws Exception {
        List<Map<String, Object>> objects = render(renderer, overlay);
        assertEquals(alertGroups(), at(one(objects, "PrometheusRule", "breakwater"), "spec", "groups"));

        Map<String, Object> dashboard = one(objects, "ConfigMap", "breakwater-dashboard");
        assertEquals("1", string(dashboard, "metadata", "labels", "grafana_dashboard"));
        assertEquals(Yamls.read(ROOT.resolve("config/grafana/dashboards/breakwater.json")), string(dashboard, "data", "breakwater.json"));

        Map<String, Object> deployment = one(objects, "Deployment", "breakwater");
        Object pod = at(deployment, "spec", "template", "spec");
        Object mount = list(at(pod, "containers", 0, "volumeMounts")).stream()
                .filter(m -> "/deployments/config".equals(string(m, "mountPath"))).findFirst().orElseThrow();
        String configMapName = list(at(pod, "volumes")).stream().filter(v -> string(mount, "name").equals(string(v, "name")))
                .map(v -> string(v, "configMap", "name")).findFirst().orElseThrow();
        assertEquals(Yamls.read(ROOT.resolve("config/gateway.yaml")), string(one(objects, "ConfigMap", configMapName), "data", "gateway.yaml"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("renderings")
    void servicesSelectWhatTheyServe(Kustomize renderer, String overlay) throws Exception {
        List<Map<String, Object>> objects = render(renderer, overlay);
        Map<String, Object> deployment = one(objects, "Deployment", "breakwater");
        Map<String, Object> service = one(objects, "Service", "breakwater");
        assertTrue(selects(at(service, "spec", "selector"), podLabels(deployment)), "Service does not select the gateway pods");
        assertEquals("http", string(service, "spec", "ports", 0, "targetPort"));

        Map<String, Object> monitor = one(objects, "ServiceMonitor", "breakwater");
        assertTrue(selects(at(monitor, "spec", "selector", "matchLabels"), map(at(service, "metadata", "labels"))));
        assertEquals(string(service, "spec", "ports", 0, "name"), string(monitor, "spec", "endpoints", 0, "port"));
        assertEquals("/q/metrics", string(monitor, "spec", "endpoints", 0, "path"));

        Object container = at(deployment, "spec", "template", "spec", "containers", 0);
        assertEquals("50000", envValue(objects, container, "BREAKWATER_WARM_UP_REQUESTS"),
                "a replica warms itself up before its readiness probe lets callers in");
        List<URI> hosts = Stream.of(envValue(objects, container, "QUARKUS_REDIS_HOSTS").split(",")).map(URI::create).toList();
        URI redis = hosts.getFirst();
        List<Map<String, Object>> redisServices = all(objects, "Service").stream()
                .filter(s -> hosts.stream().anyMatch(h -> h.getHost().equals(string(s, "metadata", "name")))).toList();
        if (overlay.equals("dev")) {
            assertEquals(1, hosts.size(), "dev keeps its single Redis");
            assertEquals(1, redisServices.size(), "dev's Redis address must name the in-cluster Redis Service");
            assertEquals(redis.getPort(), at(redisServices.getFirst(), "spec", "ports", 0, "port"));
            assertTrue(selects(at(redisServices.getFirst(), "spec", "selector"), podLabels(one(objects, "StatefulSet", redis.getHost()))));
        } else {
            assertTrue(redisServices.isEmpty(), "prod uses an external Redis");
            String mode = envValue(objects, container, "QUARKUS_REDIS_CLIENT_TYPE");
            assertTrue(Set.of("cluster", "sentinel").contains(mode), "prod's Redis is highly available, not " + mode);
            assertTrue(hosts.size() >= 3, "every node (or sentinel) listed, so any one may be down: " + hosts);
            assertEquals("redis", envValue(objects, container, "BREAKWATER_RESILIENCE_SHARED_STATE"),
                    "prod's replicas share breaker state");
            assertTrue(all(objects, "StatefulSet").isEmpty());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static List<Map<String, Object>> render(Kustomize renderer, String overlay) throws Exception {
        assumeTrue(renderer == Kustomize.PARSER || KUBECTL, "kubectl is not installed: only the parser rendering runs");
        String key = renderer + "/" + overlay;
        if (!RENDERED.containsKey(key)) { // kubectl takes ~0.5 s per rendering: once per overlay is enough
            RENDERED.put(key, renderer.render(K8S.resolve("overlays").resolve(overlay)));
        }
        return RENDERED.get(key);
    }

    private static Object alertGroups() {
        return Yamls.load(ROOT.resolve("config/prometheus/alerts.yml")).get("groups");
    }

    private static List<Map<String, Object>> all(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String name) {
        List<Map<String, Object>> found = all(objects, kind).stream().filter(o -> name.equals(string(o, "metadata", "name"))).toList();
        assertEquals(1, found.size(), "expected one " + kind + " named " + name);
        return found.getFirst();
    }

    /** A value from the container's env ConfigMap (envFrom configMapRef). */
    private static String envValue(List<Map<String, Object>> objects, Object container, String variable) {
        String configMap = list(at(container, "envFrom")).stream().map(e -> string(e, "configMapRef", "name"))
                .filter(n -> n != null).findFirst().orElseThrow();
        String value = string(one(objects, "ConfigMap", configMap), "data", variable);
        assertNotNull(value, configMap + " does not set " + variable);
        return value;
    }

    private static Map<String, Object> podLabels(Map<String, Object> workload) {
        return map(at(workload, "spec", "template", "metadata", "labels"));
    }

    private static boolean selects(Object selector, Map<String, Object> labels) {
        Map<String, Object> wanted = map(selector);
        assertFalse(wanted.isEmpty(), "empty selector");
        return wanted.entrySet().stream().allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
    }
}
