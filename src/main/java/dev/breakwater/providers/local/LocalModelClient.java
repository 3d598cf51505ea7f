package dev.breakwater.providers.local;

import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ClassificationTask;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process last tier. It answers in the same JSON the cloud models are asked for, so its
 * answers pass through the same quality check as theirs.
 */
public final class LocalModelClient implements ModelClient {

    private final EmbeddingModel embeddingModel;
    private final String modelId;
    private final Map<String, LocalClassifier> classifiers = new ConcurrentHashMap<>();

    public LocalModelClient(EmbeddingModel embeddingModel, String modelId) {
        this.embeddingModel = embeddingModel;
        this.modelId = modelId;
    }

    @Override
    public ModelReply chat(ChatPrompt prompt) {
        ClassificationTask task = prompt.task().orElseThrow(() -> new ClassifiedException(Failure.of(
                FailureKind.MISCONFIGURED, "the local model only answers categorization requests")));
        LocalClassifier classifier = classifiers.computeIfAbsent(task.taxonomy().id(),
                id -> new LocalClassifier(embeddingModel, task.taxonomy()));
        Classification result = classifier.classify(task.text());
        String json = String.format(Locale.ROOT, "{\"category\":\"%s\",\"confidence\":%.4f}",
                result.categoryId(), result.confidence());
        return new ModelReply(json, "stop", TokenUsage.NONE, modelId);
    }

    /** Builds the classifier ahead of the first request so that request does not pay for it. */
    public void warmUp(dev.breakwater.taxonomy.Taxonomy taxonomy) {
        classifiers.computeIfAbsent(taxonomy.id(), id -> new LocalClassifier(embeddingModel, taxonomy));
    }
}
