package dev.breakwater.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and its SHA-1, so {@link GuardedRedis#eval} can run it by digest ({@code EVALSHA}) and send
 * its text only when Redis answers NOSCRIPT (a restart or a fail-over empties Redis' script cache).
 */
public record RedisScript(String text, String sha1) {

    public static RedisScript of(String text) {
        try {
            return new RedisScript(text, HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The script in the class-path resource {@code path}. */
    public static RedisScript resource(String path) {
        try (InputStream in = RedisScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
