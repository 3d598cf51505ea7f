package dev.breakwater.categorize;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the JSON object the prompt asks for. Models often wrap it in prose or a code fence, so the
 * first {...} block is taken; anything that is not an object with a category and a numeric
 * confidence is malformed.
 */
public final class AnswerParser {

    private AnswerParser() {
    }

    public static CategoryAnswer parse(ObjectMapper json, String reply) {
        if (reply == null || reply.isBlank()) {
            return CategoryAnswer.malformed("empty answer");
        }
        int start = reply.indexOf('{');
        int end = reply.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return CategoryAnswer.malformed("answer is not JSON");
        }
        JsonNode node;
        try {
            // The first block is the answer: the mapper's refusal of trailing content is for request bodies, not prose.
            node = json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(reply.substring(start, end + 1));
        } catch (Exception e) {
            return CategoryAnswer.malformed("answer is not valid JSON");
        }
        JsonNode category = node.get("category");
        JsonNode confidence = node.get("confidence");
        if (category == null || !(category.isTextual() || category.isIntegralNumber()) || category.asText().isBlank()) {
            return CategoryAnswer.malformed("answer has no category");
        }
        if (confidence == null || !confidence.isNumber()) {
            return CategoryAnswer.malformed("answer has no numeric confidence");
        }
        return new CategoryAnswer(category.asText().trim(), confidence.asDouble(), null);
    }
}
