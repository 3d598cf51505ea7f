package dev.breakwater.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies mean exactly what they say: a number or boolean where a string is expected is the
 * caller's mistake, not something to coerce ({@code {"text": 123}}), and anything after the JSON
 * document ({@code {"text":"flight"} garbage}) makes the body invalid rather than being ignored.
 * <p>
 * And numbers are kept as written: the proxy forwards JSON trees, and a tree of doubles would round a caller's
 * {@code 0.123456789012345678901} to 17 digits, turn {@code 0.70} into {@code 0.7}, {@code 1E-400} into {@code 0.0}
 * and {@code 1E+400} into the string {@code "Infinity"} on their way to the model, and do the same to the model's
 * answer on its way back.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
}
