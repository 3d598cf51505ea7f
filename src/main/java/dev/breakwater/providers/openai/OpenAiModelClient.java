package dev.breakwater.providers.openai;

import com.fasterxml.jackson.core.JsonFactory;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.EmbeddingReply;
import dev.breakwater.providers.EmbeddingRequest;
import dev.breakwater.providers.LangChainAdapter;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.http.UpstreamHttpClientBuilder;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.time.Duration;

/**
 * An OpenAI-compatible model: plain answers through LangChain4j, streamed ones through
 * {@link OpenAiStreamingChat}, embeddings passed through by {@link OpenAiEmbeddings}.
 */
public final class OpenAiModelClient implements ModelClient {

    private final LangChainAdapter plain;
    private final OpenAiStreamingChat streaming;
    private final OpenAiEmbeddings embeddings;

    public OpenAiModelClient(UpstreamHttpClientBuilder http, String baseUrl, String apiKey, String modelId, Duration timeout,
                             JsonFactory json) {
        this.plain = new LangChainAdapter(OpenAiChatModel.builder()
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .modelName(modelId)
                .timeout(timeout)
                .maxRetries(0)
                .httpClientBuilder(http)
                .build(), modelId);
        this.streaming = new OpenAiStreamingChat(http.readTimeout(timeout).build(), baseUrl, apiKey, modelId);
        this.embeddings = new OpenAiEmbeddings(http.readTimeout(timeout).build(), baseUrl, apiKey, modelId, timeout, json);
    }

    @Override
    public ModelReply chat(ChatPrompt prompt) {
        return plain.chat(prompt);
    }

    @Override
    public ModelReply chatStreamed(ChatPrompt prompt) throws Exception {
        return streaming.chat(prompt);
    }

    @Override
    public EmbeddingReply embed(EmbeddingRequest request) {
        return embeddings.embed(request);
    }
}
