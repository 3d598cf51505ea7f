package dev.breakwater.providers.local;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Local inference is CPU work on the request's thread: more inferences at once than cores only make
 * each slower and starve the event loops. At most {@code concurrent} run, at most {@code queue} more
 * wait (interruptibly, so the attempt's timeout and the request deadline still apply); beyond that the
 * call is refused at once as {@link FailureKind#BUSY}, which the chain reports as {@code skipped_busy}.
 */
public final class Bulkhead {

    private final Semaphore running;
    private final Semaphore admitted;
    private final int concurrent;
    private final int queue;

    public Bulkhead(int concurrent, int queue) {
        this.concurrent = concurrent;
        this.queue = queue;
        this.running = new Semaphore(concurrent, true);
        this.admitted = new Semaphore(concurrent + queue);
    }

    /** One inference per core and a queue as long again: enough to absorb a burst, too short to pile up. */
    public static Bulkhead perCore() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new Bulkhead(cores, cores);
    }

    /** True while every slot, running and waiting, is taken: the next call is refused. */
    public boolean full() {
        return admitted.availablePermits() == 0;
    }

    public <T> T run(Supplier<T> work) {
        if (!admitted.tryAcquire()) {
            throw new ClassifiedException(Failure.of(FailureKind.BUSY, "the local model is busy: " + concurrent
                    + " inferences running and " + queue + " waiting"));
        }
        try {
            running.acquire();
            try {
                return work.get();
            } finally {
                running.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClassifiedException(Failure.of(FailureKind.TIMEOUT, "interrupted while waiting for the local model"));
        } finally {
            admitted.release();
        }
    }
}
