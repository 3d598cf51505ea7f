package dev.breakwater.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The caller's answer to a body the JSON parser gave up on, worded for every endpoint alike. A body the parser
 * refuses for its size limits (nesting, a number's or a string's length) is valid JSON: saying "not valid JSON"
 * would send the caller looking for a syntax error that is not there.
 */
public final class InvalidJson {

    private static final Pattern LIMIT = Pattern.compile("maximum allowed \\((\\d+)");
    /** The start of Jackson's message for each length limit, and what the caller sent too long. */
    private static final Map<String, String> TOO_LONG = Map.of(
            "Number value length", "a number",
            "String value length", "a string",
            "Name length", "a field name");

    private InvalidJson() {
    }

    public static ProblemException problem(IOException e) {
        if (e instanceof StreamConstraintsException limit) {
            return ProblemException.badRequest("request body is beyond the gateway's JSON limits: " + beyond(limit));
        }
        if (e instanceof JsonProcessingException syntax && syntax.getLocation() != null) {
            return ProblemException.badRequest("request body is not valid JSON (line " + syntax.getLocation().getLineNr()
                    + ", column " + syntax.getLocation().getColumnNr() + ")");
        }
        return ProblemException.badRequest("request body is not valid JSON");
    }

    /** Jackson's message names its own classes; the caller gets what to change and the limit. */
    private static String beyond(StreamConstraintsException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher limit = LIMIT.matcher(message);
        String max = limit.find() ? limit.group(1) : null;
        if (message.startsWith("Document nesting depth")) {
            return "arrays and objects nested more than " + (max == null ? "the allowed" : max) + " levels deep";
        }
        for (Map.Entry<String, String> tooLong : TOO_LONG.entrySet()) {
            if (message.startsWith(tooLong.getKey())) {
                return tooLong.getValue() + " longer than " + (max == null ? "allowed" : max + " characters");
            }
        }
        return "a value the parser does not accept";
    }
}
