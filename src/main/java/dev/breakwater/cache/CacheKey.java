package dev.breakwater.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Cache keys are a SHA-256 of (taxonomy, normalised text, chain fingerprint): the caller's text
 * never sits in Redis in clear, and differently spaced or cased copies of a text share an entry.
 */
public final class CacheKey {

    static final String PREFIX = "breakwater:answer:";

    private CacheKey() {
    }

    public static String of(String taxonomy, String text, String chainFingerprint) {
        String material = taxonomy + "\n" + normalise(text) + "\n" + chainFingerprint;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String normalise(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
