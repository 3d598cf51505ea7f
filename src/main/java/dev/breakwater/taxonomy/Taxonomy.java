package dev.breakwater.taxonomy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered set of categories plus the category served when nothing else can answer. The built-in
 * files name its fields as written here, whatever naming the mapper reading them uses.
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record Taxonomy(String id, List<Category> categories, String defaultCategory) {

    public Taxonomy {
        categories = List.copyOf(categories);
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("taxonomy '" + id + "' has no categories");
        }
        if (defaultCategory != null && categories.stream().noneMatch(c -> c.id().equals(defaultCategory))) {
            throw new IllegalArgumentException("taxonomy '" + id + "': default category '" + defaultCategory + "' is not one of its categories");
        }
    }

    public Optional<Category> find(String categoryId) {
        return categories.stream().filter(c -> c.id().equals(categoryId)).findFirst();
    }

    public boolean contains(String categoryId) {
        return find(categoryId).isPresent();
    }

    public Map<String, Category> byId() {
        Map<String, Category> map = new LinkedHashMap<>();
        categories.forEach(c -> map.put(c.id(), c));
        return map;
    }
}
