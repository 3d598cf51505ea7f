package dev.breakwater.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard against Grafana's dashboard schema (no Grafana can be installed here): the types
 * Grafana publishes on npm as {@code @grafana/schema}, turned into a JSON schema and checked with ajv
 * (src/test/grafana-schema, versions pinned by its package-lock.json; installed with npm into target/).
 */
class DashboardSchemaTest {

    private static final Path SOURCE = Path.of("src/test/grafana-schema");
    private static final Path WORK = Path.of("target/grafana-schema");

    @BeforeAll
    static void install() throws Exception {
        Files.createDirectories(WORK);
        for (String file : new String[]{"package.json", "package-lock.json", "validate.js"}) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/@grafana/schema"))) {
            Tools.Result installed = Tools.run(WORK, require("npm"), "ci", "--no-audit", "--no-fund");
            assertEquals(0, installed.exitCode(), installed.output());
        }
    }

    @Test
    void theDashboardMatchesGrafanasSchema() throws Exception {
        Tools.Result result = validate(MonitoringArtefactsTest.DASHBOARD.toAbsolutePath());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("VALID"), result.output());
    }

    @Test
    void theSchemaCheckRejectsABrokenDashboard() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode broken = (ObjectNode) json.readTree(MonitoringArtefactsTest.DASHBOARD.toFile());
        ((ObjectNode) broken.path("panels").path(0).path("gridPos")).put("w", "wide");
        Path file = WORK.resolve("broken-dashboard.json");
        json.writeValue(file.toFile(), broken);
        Tools.Result result = validate(file.toAbsolutePath());
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("/panels/0/gridPos/w"), result.output());
    }

    private static Tools.Result validate(Path dashboard) throws Exception {
        return Tools.run(WORK, require("node"), "validate.js", dashboard.toString());
    }

    private static String require(String binary) {
        return Tools.find(binary).orElseThrow(() -> new AssertionError(binary
                + " is not installed: the dashboard schema check needs Node.js and npm (apt-get install -y nodejs npm)"));
    }
}
