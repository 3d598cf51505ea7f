package dev.breakwater.keys.web;

import io.quarkus.runtime.configuration.DurationConverter;

import java.time.Duration;

/** Budget periods written as in the YAML ({@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}). */
final class Periods {

    private Periods() {
    }

    static Duration parse(String text) {
        return DurationConverter.parseDuration(text);
    }

    static String format(long seconds) {
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
