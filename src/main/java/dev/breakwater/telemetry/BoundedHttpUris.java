package dev.breakwater.telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * Keeps the {@code uri} tag of Quarkus' HTTP server metrics bounded. A request the HTTP layer refuses
 * before any route matched it (414, 431, a 413 for an unsized body) has no path template, so its raw
 * path would become the tag: one new series per path a caller invents, kilobytes each for a 414.
 * Those are all tagged {@value #REJECTED}, and any other value longer than {@value #MAX_URI} characters
 * {@value #TOO_LONG}.
 */
@Singleton
public class BoundedHttpUris implements MeterFilter {

    static final String REJECTED = "REJECTED";
    static final String TOO_LONG = "TOO_LONG";
    private static final int MAX_URI = 256;
    private static final Set<String> REFUSED_BEFORE_ROUTING = Set.of("413", "414", "431");

    @Override
    public Meter.Id map(Meter.Id id) {
        String uri = id.getTag("uri");
        if (uri == null || !id.getName().startsWith("http.server")) {
            return id;
        }
        String bounded = REFUSED_BEFORE_ROUTING.contains(id.getTag("status")) ? REJECTED
                : uri.length() > MAX_URI ? TOO_LONG : uri;
        if (bounded.equals(uri)) {
            return id;
        }
        return id.replaceTags(id.getTags().stream().map(t -> t.getKey().equals("uri") ? Tag.of("uri", bounded) : t).toList());
    }
}
