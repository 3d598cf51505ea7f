package dev.breakwater.resilience;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The stages of one try that holds no thread. A try is ended from outside by completing its stage
 * exceptionally (its timeout, the request's deadline, the caller gone: see {@link Deadline#cut}). A
 * stage built here hands that end to the stage it came from, down to the first, whose starter resets
 * the upstream request; the failure then comes back up through every step, so each sees the try end
 * exactly once and in order (the attempt is recorded before the guard hears of it). {@code thenApply}
 * would leave the request running.
 */
public final class TryStages {

    private TryStages() {
    }

    /**
     * What follows a stage: its answer or failure (never both) turned into the next answer, or a thrown
     * failure (the one it was handed, as it is, when it has nothing to add).
     */
    @FunctionalInterface
    public interface Step<A, B> {
        B next(A answer, Throwable failure) throws Throwable;
    }

    public static <A, B> CompletableFuture<B> then(CompletableFuture<A> source, Step<A, B> step) {
        Stage<B> out = new Stage<>(source);
        source.whenComplete((answer, failure) -> {
            try {
                out.settle(step.next(failure == null ? answer : null, unwrap(failure)), null);
            } catch (Throwable t) {
                out.settle(null, t);
            }
        });
        return out;
    }

    /** A step's stage: ended from outside, it ends its source instead, and settles when the failure comes back. */
    private static final class Stage<T> extends CompletableFuture<T> {
        private final CompletableFuture<?> source;

        Stage(CompletableFuture<?> source) {
            this.source = source;
        }

        @Override
        public boolean completeExceptionally(Throwable ended) {
            return source.completeExceptionally(ended);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return source.cancel(mayInterruptIfRunning);
        }

        void settle(T answer, Throwable failure) {
            if (failure == null) {
                super.complete(answer);
            } else {
                super.completeExceptionally(failure);
            }
        }
    }

    /**
     * A blocking call as a try: made on a virtual thread of its own, which is interrupted (as the
     * blocking walk's timeout does) when the try is ended from outside before it answers.
     */
    public static <T> CompletableFuture<T> offload(Callable<T> call) {
        CompletableFuture<T> out = new CompletableFuture<>();
        Thread runner = Thread.ofVirtual().name("model-call").start(() -> {
            try {
                out.complete(call.call());
            } catch (Throwable t) {
                out.completeExceptionally(t);
            }
        });
        out.whenComplete((answer, failure) -> {
            if (failure != null && runner != Thread.currentThread()) {
                runner.interrupt();
            }
        });
        return out;
    }

    public static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
