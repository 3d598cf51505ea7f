package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.providers.http.SseListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;

/**
 * Feeds a Messages stream to its {@link StreamTranslator} and stops reading once the answer is whole
 * or has failed. The transport calls it from one reader; {@link #answer()} is read after the
 * transport returned.
 */
final class MessagesStreamListener implements SseListener {

    private final ObjectMapper json;
    private final StreamTranslator translator;
    private ClassifiedException failure;
    private Throwable error;
    private boolean complete;

    MessagesStreamListener(ObjectMapper json, StreamTranslator translator) {
        this.json = json;
        this.translator = translator;
    }

    /** Anthropic repeats the event name in the data's {@code type}, which is what the translator reads. */
    @Override
    public boolean onEvent(String name, String data) {
        if (complete || failure != null) {
            return false;
        }
        try {
            complete = translator.accept(data);
        } catch (ClassifiedException e) {
            failure = e;
        }
        return !complete && failure == null;
    }

    @Override
    public boolean complete() {
        return complete && failure == null;
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onClose() {
        // judged in answer(): a close before message_stop is a cut stream
    }

    /** The whole answer, or the classified reason the stream does not count as one. */
    ChatAnswer answer() throws Exception {
        if (failure != null) {
            throw failure;
        }
        if (!complete && error instanceof Exception e) {
            throw ProviderErrors.translate(json, e).map(Exception.class::cast).orElse(asCut(e));
        }
        return translator.answer();
    }

    /**
     * A read error mid-stream is a cut connection: transient, unlike a timeout or an interruption, which
     * keep their meaning. The transport reports a connection closed early, before the body is read, as
     * an {@link UncheckedIOException}.
     */
    private static Exception asCut(Exception e) {
        Throwable read = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        if (read instanceof IOException && !(read instanceof HttpTimeoutException)) {
            return new ClassifiedException(Failure.of(FailureKind.TRANSIENT, "the upstream stream was cut before message_stop"), e);
        }
        return e;
    }
}
