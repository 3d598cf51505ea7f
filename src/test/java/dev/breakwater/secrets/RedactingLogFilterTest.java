package dev.breakwater.secrets;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactingLogFilterTest {

    private static final String KEY = "4f1c0ffee0log0filter0key";

    @Test
    void secretsOfAnyShapeAreMaskedByValue() {
        Secrets.register(KEY);
        assertEquals("upstream said: bad key *** (and ***)",
                Secrets.redact("upstream said: bad key " + KEY + " (and " + java.net.URLEncoder.encode(KEY, java.nio.charset.StandardCharsets.UTF_8) + ")"));
        Secrets.register("short");
        assertEquals("a short word", Secrets.redact("a short word"), "values too short to be keys are not registered");
    }

    @Test
    void messagesAndExceptionsReachTheHandlerWithoutControlCharactersOrSecrets() {
        Secrets.register(KEY);
        ExtLogRecord record = new ExtLogRecord(Level.ERROR_LEVEL(), "model %s failed with %s", ExtLogRecord.FormatStyle.PRINTF,
                RedactingLogFilterTest.class.getName());
        record.setParameters(new Object[]{"a\r\nFORGED 2026 INFO admin logged in", KEY});
        record.setThrown(new IllegalArgumentException("header value a\r\nX: 1 with " + KEY,
                new IllegalStateException("cause\u0000" + KEY)));

        assertTrue(new RedactingLogFilter().isLoggable(record));

        String message = record.getFormattedMessage();
        assertEquals("model a\\r\\nFORGED 2026 INFO admin logged in failed with ***", message);
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        String printed = trace.toString();
        assertTrue(printed.startsWith("java.lang.IllegalArgumentException: header value a\\r\\nX: 1 with ***"), printed);
        assertTrue(printed.contains("Caused by: java.lang.IllegalStateException: cause\\u0000***"), printed);
        assertFalse(printed.contains(KEY), printed);
        assertTrue(printed.contains("at dev.breakwater.secrets.RedactingLogFilterTest"), "frames are kept: " + printed);
    }

    private static final class Level extends java.util.logging.Level {
        private Level() {
            super("x", 0);
        }

        static java.util.logging.Level ERROR_LEVEL() {
            return org.jboss.logmanager.Level.ERROR;
        }
    }
}
