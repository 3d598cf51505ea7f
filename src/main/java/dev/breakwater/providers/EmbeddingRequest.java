package dev.breakwater.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * An embeddings request, already checked. {@code body} is the caller's JSON without the gateway's own
 * fields: OpenAI-compatible upstreams receive it as it is, with only {@code model} replaced.
 * {@code texts} is empty when the input is token ids (which only the upstream's own tokenizer can read).
 *
 * @param inputs how many vectors the answer must hold
 */
public record EmbeddingRequest(ObjectNode body, int inputs, Optional<List<String>> texts, boolean base64,
                               Optional<Integer> dimensions) {

    /** The body to send to a model whose provider id is {@code modelId}. */
    public byte[] bodyFor(String modelId) {
        ObjectNode copy = body.deepCopy();
        copy.put("model", modelId);
        return copy.toString().getBytes(StandardCharsets.UTF_8);
    }
}
