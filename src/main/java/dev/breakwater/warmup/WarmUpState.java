package dev.breakwater.warmup;

import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the warm-up stands, and the secret its own requests carry. Only a request with the secret,
 * sent while the warm-up runs, is the warm-up's: it skips caller auth and the request log and metrics.
 * The secret is made per process and never leaves it.
 */
@Singleton
public class WarmUpState {

    public static final String HEADER = "x-breakwater-warm-up";

    public enum Phase { PENDING, RUNNING, DONE }

    private final String secret;
    private final byte[] secretBytes;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.PENDING);
    private final LongAdder answered = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public WarmUpState() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.secret = HexFormat.of().formatHex(random);
        this.secretBytes = secret.getBytes(StandardCharsets.US_ASCII);
    }

    /** True for a request the warm-up itself sent, while it runs. */
    public boolean isWarmUp(String header) {
        return header != null && phase.get() == Phase.RUNNING
                && MessageDigest.isEqual(secretBytes, header.getBytes(StandardCharsets.US_ASCII));
    }

    String secret() {
        return secret;
    }

    public Phase phase() {
        return phase.get();
    }

    void started() {
        phase.set(Phase.RUNNING);
    }

    void done() {
        phase.set(Phase.DONE);
    }

    void answered(boolean ok) {
        (ok ? answered : failed).increment();
    }

    public long answered() {
        return answered.sum();
    }

    public long failed() {
        return failed.sum();
    }
}
