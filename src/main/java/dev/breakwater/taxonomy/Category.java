package dev.breakwater.taxonomy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One category of a taxonomy. {@code examples} are short phrases typical of the category: they
 * anchor the local embedding classifier and are never shown to callers. Named in the built-in files
 * as in {@link Taxonomy}.
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record Category(String id, String label, String description, List<String> examples) {
    public Category {
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
