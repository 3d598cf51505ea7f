package dev.breakwater.admin;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.secrets.Secrets;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The configured admin token, kept only as its SHA-256 digest. Comparing digests with
 * {@link MessageDigest#isEqual} takes the same time whatever the presented token's content or length.
 * Application-scoped (a lazy proxy) because the REST filter using it is built before runtime config exists.
 */
@ApplicationScoped
public class AdminToken {

    private final Optional<byte[]> expected;

    public AdminToken(GatewayConfig config) {
        config.admin().token().ifPresent(Secrets::register);
        this.expected = config.admin().token().filter(t -> !t.isBlank()).map(AdminToken::digest);
    }

    public boolean configured() {
        return expected.isPresent();
    }

    public boolean matches(String presented) {
        return expected.isPresent() && presented != null && MessageDigest.isEqual(digest(presented), expected.get());
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
