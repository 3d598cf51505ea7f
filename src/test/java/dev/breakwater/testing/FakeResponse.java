package dev.breakwater.testing;

/** A plain JSON answer for the generic routes (e.g. {@code /v1/factors/{category}}). */
public record FakeResponse(int status, String body) {

    public static FakeResponse ok(String json) {
        return new FakeResponse(200, json);
    }

    public static FakeResponse of(int status, String json) {
        return new FakeResponse(status, json);
    }
}
