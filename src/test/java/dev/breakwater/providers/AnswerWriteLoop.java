package dev.breakwater.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.StrictJson;

import java.nio.charset.StandardCharsets;

/**
 * {@code load-tests/bench.sh answer-write}: what a whole chat answer costs the gateway between the upstream's
 * bytes and the caller's, read into a tree and written back with its model renamed (the path before
 * {@link AnswerBytes}), against read with the model's place noted and spliced. The gateway's own mapper
 * settings; the bench mock's answer. Rounds of 300,000 each, so the JIT's warm-up shows as the first rounds.
 */
public final class AnswerWriteLoop {

    static final byte[] ANSWER = ("{\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion\",\"created\":1764739200,"
            + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"{\\\"category\\\": 6, \\\"confidence\\\": 0.92, \\\"reasoning\\\": \\\"Business travel\\\"}\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":20,\"total_tokens\":140}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final int CALLS = 300_000;

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        new StrictJson().customize(json);
        long sink = 0;
        for (int round = 1; round <= 8; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                ObjectNode tree = (ObjectNode) json.readTree(ANSWER);
                tree.put("model", "primary");
                sink += json.writeValueAsBytes(tree).length;
            }
            long tree = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                AnswerBytes.Read read = AnswerBytes.read(json, ANSWER);
                sink += read.tree().size() + read.bytes().renamed("primary").length;
            }
            long spliced = System.nanoTime();
            System.out.printf("round %d: tree read and written %.2f us, read and spliced %.2f us per answer%n",
                    round, (tree - start) / (CALLS * 1e3), (spliced - tree) / (CALLS * 1e3));
        }
        System.out.println("(" + sink + " bytes)");
    }
}
