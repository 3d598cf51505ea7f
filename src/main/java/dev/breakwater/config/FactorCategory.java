package dev.breakwater.config;

import java.util.regex.Pattern;

/** What a category may look like: it goes into an upstream URL and a Redis key, so nothing else gets through. */
public final class FactorCategory {

    public static final String RULE = "1 to 64 characters of a-z, 0-9 and _";

    private static final Pattern VALID = Pattern.compile("[a-z0-9_]{1,64}");

    private FactorCategory() {
    }

    public static boolean isValid(String category) {
        return category != null && VALID.matcher(category).matches();
    }
}
