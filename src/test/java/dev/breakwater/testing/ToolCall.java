package dev.breakwater.testing;

/**
 * A tool call the fake answers with ({@link FakeUpstream#respondWithToolCalls}).
 *
 * @param arguments the arguments as a JSON object in text, as OpenAI carries them (Anthropic gets the object)
 */
public record ToolCall(String id, String name, String arguments) {
}
