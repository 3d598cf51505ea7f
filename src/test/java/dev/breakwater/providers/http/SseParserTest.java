package dev.breakwater.providers.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The event-stream format as upstreams write it: names, multi-line data, comments, CRLF, a last event cut short. */
class SseParserTest {

    private static List<String> parse(String body, int stopAfter) throws Exception {
        List<String> seen = new ArrayList<>();
        SseParser.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), new SseListener() {
            @Override
            public boolean onEvent(String name, String data) {
                seen.add(name + "|" + data);
                return seen.size() < stopAfter;
            }

            @Override
            public void onError(Throwable error) {
                seen.add("error");
            }

            @Override
            public void onClose() {
                seen.add("close");
            }
        });
        return seen;
    }

    @Test
    void readsNamesDataAndSkipsComments() throws Exception {
        String body = ": keep-alive\n\nevent: message_start\ndata: {\"a\":1}\n\ndata:{\"b\":\r\ndata: 2}\r\n\r\ndata: [DONE]";
        assertEquals(List.of("message_start|{\"a\":1}", "null|{\"b\":\n2}", "null|[DONE]"), parse(body, 10));
    }

    @Test
    void stopsWhenTheListenerSaysSo() throws Exception {
        assertEquals(List.of("null|1"), parse("data: 1\n\ndata: 2\n\n", 1));
    }
}
