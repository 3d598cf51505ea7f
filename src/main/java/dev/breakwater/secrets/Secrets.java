package dev.breakwater.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret value the gateway holds (provider keys, the admin token, caller keys), so that any text
 * leaving the process (responses, attempts, logs) can be cleaned of them by value, whatever the
 * text around them looks like. Pattern-based redaction ({@code sk-…}, {@code Bearer …}) only catches
 * keys of a known shape; an upstream echoing a bare key of another shape is caught here.
 * <p>
 * Process-wide and static on purpose: log filters and exception messages are built far from CDI.
 */
public final class Secrets {

    public static final String MASK = "***";
    /** Shorter values would mask ordinary words; no real key is this short. */
    static final int MIN_LENGTH = 8;

    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();
    /** Longest first, so a secret containing another is masked whole. */
    private static volatile List<String> ordered = List.of();

    private Secrets() {
    }

    /** Remembers {@code value} (and the forms it takes when URL- or JSON-escaped) as a secret. */
    public static void register(String value) {
        if (value == null || value.strip().length() < MIN_LENGTH) {
            return;
        }
        String v = value.strip();
        boolean added = VALUES.add(v);
        added |= VALUES.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
        added |= VALUES.add(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
        if (added) {
            synchronized (Secrets.class) {
                ordered = VALUES.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
            }
        }
    }

    /** {@code text} with every registered secret replaced by {@value #MASK}; null stays null. */
    public static String redact(String text) {
        if (text == null || text.length() < MIN_LENGTH) {
            return text;
        }
        String out = text;
        for (String secret : ordered) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /**
     * {@code text} safe for one log line or header value: secrets masked, and control characters
     * (CR, LF, NUL, ESC...) written as escapes so nobody can forge a line or a terminal sequence.
     */
    public static String printable(String text) {
        String redacted = redact(text);
        if (redacted == null || !hasControlCharacter(redacted)) {
            return redacted;
        }
        StringBuilder b = new StringBuilder(redacted.length() + 16);
        redacted.chars().forEach(c -> {
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (isControl(c)) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.append((char) c);
                    }
                }
            }
        });
        return b.toString();
    }

    /**
     * True when {@code text} holds a control character (CR, LF, NUL, ESC...) or a line or paragraph separator:
     * what must never reach a log line or a header. Per char, not per code point (none of them is a surrogate),
     * and a loop, not a stream: every header value of every response passes here.
     */
    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isControl(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
