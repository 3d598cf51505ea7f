package dev.breakwater.openai;

import dev.breakwater.chain.QualityCheck;
import dev.breakwater.chain.QualityVerdict;
import dev.breakwater.providers.ModelReply;

/**
 * The quality bar of a chat answer: it must say something. An empty completion that ended normally
 * is what an overloaded or misrouted upstream sometimes returns; the next model can do better.
 * (Confidence, which {@code min-quality} measures, has no meaning for free-form chat.)
 */
final class ChatAnswerCheck implements QualityCheck<ModelReply> {

    static final ChatAnswerCheck INSTANCE = new ChatAnswerCheck();

    @Override
    public QualityVerdict check(ModelReply answer, double minQuality) {
        if (answer.content() == null || answer.content().isBlank()) {
            return QualityVerdict.reject("the model returned an empty answer");
        }
        return QualityVerdict.accept();
    }
}
