package dev.breakwater.telemetry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A default start of the packaged gateway ({@link PackagedGateway}): its output up to "started" has no
 * warning (log WARN/ERROR or JVM WARNING) and one line naming the configuration file and the chains.
 */
// Alone on the machine (the other ITs run two at a time, pom.xml): a start slowed by another IT could log a warning
// (a blocked-thread one, say) that is not the gateway's.
@Isolated
class CleanStartupIT {

    private static final Pattern CONFIG_LINE = Pattern.compile(
            ".* INFO .*configuration loaded from \\[\\S*/config/gateway\\.yaml]; chains ready: \\[default=\\[gpt-4o, "
                    + "gpt-3\\.5-turbo, claude-3-sonnet, local], embeddings=\\[local], categorizer=\\[gpt-4o, gpt-3\\.5-turbo, claude-3-sonnet, local]]");

    @Test
    void aDefaultStartLogsNoWarningAndNamesTheConfigurationAndTheChains() throws Exception {
        String output;
        try (PackagedGateway gateway = PackagedGateway.start("clean-startup", Map.of())) {
            output = gateway.output();
        }
        List<String> lines = output.lines().takeWhile(l -> !l.contains("Listening on")).toList();
        assertEquals(List.of(), warnings(lines), "warnings on a default start");
        assertEquals(1, lines.stream().filter(l -> CONFIG_LINE.matcher(l).matches()).count(), output);
    }

    static List<String> warnings(List<String> lines) {
        return lines.stream().filter(l -> l.matches(".* (WARN|ERROR) .*") || l.startsWith("WARNING")).toList();
    }
}
