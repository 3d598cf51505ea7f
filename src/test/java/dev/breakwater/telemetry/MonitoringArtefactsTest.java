package dev.breakwater.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The alert rules, their unit tests and the Prometheus config pass promtool; the dashboard is consistent. */
class MonitoringArtefactsTest {

    static final Path PROMETHEUS = Path.of("config/prometheus");
    static final Path DASHBOARD = Path.of("config/grafana/dashboards/breakwater.json");

    @Test
    void alertRulesAreValid() throws Exception {
        promtool("SUCCESS: 6 rules found", "check", "rules", "alerts.yml");
    }

    @Test
    void everyAlertFiresAndStaysSilentWhereItsUnitTestsSay() throws Exception {
        promtool("SUCCESS", "test", "rules", "alerts.test.yml");
        String tests = Files.readString(PROMETHEUS.resolve("alerts.test.yml"));
        for (String alert : List.of("CircuitBreakerOpen", "HighCircuitBreakerFailureRate",
                "FrequentCircuitBreakerTransitions", "AllModelsDegraded", "CallerKeyBudgetAlmostSpent",
                "GatewayShedding")) {
            assertTrue(tests.contains("alertname: " + alert), alert + " has no unit test");
        }
    }

    @Test
    void prometheusConfigIsValidAndLoadsTheRules() throws Exception {
        promtool("SUCCESS: 1 rule files found", "check", "config", "prometheus.yml");
    }

    /** Runs promtool in config/prometheus; it must exit 0 and say {@code expected}. */
    private static void promtool(String expected, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Tools.require("promtool");
        System.arraycopy(args, 0, command, 1, args.length);
        Tools.Result result = Tools.run(PROMETHEUS, command);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains(expected), result.output());
    }

    @Test
    void dashboardIsPortableEveryPanelQueriesTheDatasourceVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertTrue(Files.readString(Path.of("config/grafana/provisioning/dashboards/breakwater.yml")).contains("type: file"));

        JsonNode input = dashboard.path("__inputs").path(0);
        assertEquals("datasource", input.path("type").asText(), "__inputs offers a data source on import");
        assertEquals("prometheus", input.path("pluginId").asText());
        JsonNode variable = dashboard.path("templating").path("list").path(0);
        assertEquals("datasource", variable.path("name").asText());
        assertEquals("datasource", variable.path("type").asText());
        assertEquals("prometheus", variable.path("query").asText());

        // No data source reference anywhere but the variable: a hard-coded uid breaks imports elsewhere.
        List<String> references = new java.util.ArrayList<>();
        dashboard.findParents("datasource").forEach(parent -> {
            JsonNode ref = parent.path("datasource");
            if (ref.isObject() || ref.isTextual()) {
                references.add(ref.isObject() ? ref.path("type").asText() + ":" + ref.path("uid").asText() : ref.asText());
            }
        });
        assertFalse(references.isEmpty());
        assertEquals(List.of(), references.stream().filter(r -> !r.equals("prometheus:${datasource}")).toList());

        java.util.Set<Integer> ids = new java.util.HashSet<>();
        assertFalse(dashboard.path("panels").isEmpty());
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel id " + panel.path("id") + " is used twice");
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
            panel.path("targets").forEach(t -> assertFalse(t.path("expr").asText().isBlank(), panel.path("title").asText()));
        }
        List<String> exprs = PrometheusIntegrationTest.queries(dashboard);
        for (String family : List.of("circuit_breaker_state", "circuit_breaker_failure_rate", "circuit_breaker_failures_total",
                "circuit_breaker_requests_blocked_total", "circuit_breaker_fallback_usage_total",
                "circuit_breaker_transitions_total", "breakwater_request_duration_seconds_bucket", "breakwater_answers_total",
                "breakwater_cache_lookups_total", "endpoint=\"chat\"", "endpoint=\"embeddings\"",
                "breakwater_key_cost_usd_total", "breakwater_key_limited_total")) {
            assertTrue(exprs.stream().anyMatch(e -> e.contains(family)), "no panel shows " + family);
        }
    }
}
