package dev.breakwater.providers.http;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.impl.ContextInternal;

import java.util.concurrent.Callable;

/**
 * A call moved to a thread of its own keeps what the thread that started it knew: the request's Vert.x
 * context data, from which the upstream HTTP client's tracing takes its parent span and by which the
 * pool picks the caller's event loop's share, and the trace context current when it was started (the
 * attempt's span). Without it the upstream request began a trace of its own.
 */
public final class CallerContext {

    private CallerContext() {
    }

    /** {@code call}, to run on another thread as if on the calling one (its own copy of the caller's context data). */
    public static <T> Callable<T> carried(Callable<T> call) {
        ContextInternal caller = ContextInternal.current();
        Context trace = Context.current();
        if (caller == null) {
            return trace.wrap(call);
        }
        return () -> {
            ContextInternal own = caller.duplicate();
            own.localContextData().putAll(caller.localContextData());
            ContextInternal previous = own.beginDispatch();
            try (Scope ignored = trace.makeCurrent()) {
                return call.call();
            } finally {
                own.endDispatch(previous);
            }
        };
    }
}
