package dev.breakwater.providers;

/** One message of a conversation: role is system, user or assistant. */
public record ChatTurn(String role, String content) {
}
