package dev.breakwater.providers.openai;

import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.http.StreamTimeoutException;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.FailureKind;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The completeness rules of a streamed answer, for the cases a loopback server cannot stage. */
class StreamAccumulatorTest {

    private final Handle handle = new Handle();
    private final ServerSentEventContext context = new ServerSentEventContext(handle);
    private final StreamAccumulator answer = new StreamAccumulator();

    @Test
    void finishAndUsageStopReadingWithoutWaitingForDone() throws Exception {
        event("{\"model\":\"m-1\",\"choices\":[{\"delta\":{\"content\":\"Hi \"},\"finish_reason\":null}]}");
        event("{\"choices\":[{\"delta\":{\"content\":\"there\"},\"finish_reason\":\"stop\"}]}");
        assertFalse(handle.cancelled, "usage may still come");
        event("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}");
        assertTrue(handle.cancelled, "finish and usage are in: stop reading");
        ModelReply reply = answer.reply("configured");
        assertEquals("Hi there", reply.content());
        assertEquals("m-1", reply.model());
        assertEquals(5, reply.usage().totalTokens());
    }

    @Test
    void silenceAfterTheFinishStillCountsAsComplete() throws Exception {
        event("{\"choices\":[{\"delta\":{\"content\":\"done\"},\"finish_reason\":\"length\"}]}");
        answer.onError(new StreamTimeoutException("stream silent"));
        assertEquals("length", answer.reply("configured").finishReason());
    }

    @Test
    void aCutBeforeTheFinishIsTransient() {
        event("{\"choices\":[{\"delta\":{\"content\":\"half\"},\"finish_reason\":null}]}");
        answer.onError(new IOException("EOF reached while reading"));
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> answer.reply("configured"));
        assertEquals(FailureKind.TRANSIENT, e.failure().kind());
    }

    @Test
    void anErrorEventCarriesTheUpstreamReason() {
        event("{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}");
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> answer.reply("configured"));
        assertEquals("The server had an error while processing your request.", e.failure().message());
        assertTrue(handle.cancelled);
    }

    @Test
    void aContentFilterFinishIsAContentPolicyRefusal() {
        event("{\"choices\":[{\"delta\":{},\"finish_reason\":\"content_filter\"}]}");
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> answer.reply("configured"));
        assertEquals(FailureKind.CONTENT_POLICY, e.failure().kind());
    }

    private void event(String data) {
        answer.onEvent(new ServerSentEvent(null, data), context);
    }

    private static final class Handle implements ServerSentEventParsingHandle {
        boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
