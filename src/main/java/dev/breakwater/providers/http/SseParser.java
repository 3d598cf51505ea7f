package dev.breakwater.providers.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The server-sent-events format (WHATWG HTML, "event stream interpretation"): name and data of each event. */
final class SseParser {

    private SseParser() {
    }

    /** Reads until the body ends or the listener asks to stop; read errors propagate. */
    static void parse(InputStream body, SseListener listener) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = null;
        String name = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (data != null && !listener.onEvent(name, data.toString())) {
                    return;
                }
                data = null;
                name = null;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon == 0) {
                continue; // a comment, e.g. a keep-alive ping
            }
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (field.equals("event")) {
                name = value;
            }
        }
        if (data != null) {
            listener.onEvent(name, data.toString()); // a last event without its blank line: the body ended
        }
    }
}
