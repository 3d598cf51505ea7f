package dev.breakwater.taxonomy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltInTaxonomiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ghgScope3HasTheFifteenProtocolCategoriesInOrder() {
        Taxonomy t = BuiltInTaxonomies.ghgScope3(JSON);

        assertEquals("ghg-scope3", t.id());
        assertEquals("1", t.defaultCategory());
        List<String> expectedIds = IntStream.rangeClosed(1, 15).mapToObj(String::valueOf).toList();
        assertEquals(expectedIds, t.categories().stream().map(Category::id).toList());
        assertEquals("Purchased goods and services", t.find("1").orElseThrow().label());
        assertEquals("Business travel", t.find("6").orElseThrow().label());
        assertEquals("Employee commuting", t.find("7").orElseThrow().label());
        assertEquals("Investments", t.find("15").orElseThrow().label());
    }

    @Test
    void everyCategoryIsDescribedAndHasExamples() {
        for (Category c : BuiltInTaxonomies.ghgScope3(JSON).categories()) {
            assertFalse(c.label() == null || c.label().isBlank(), "label of " + c.id());
            assertFalse(c.description() == null || c.description().isBlank(), "description of " + c.id());
            assertTrue(c.examples().size() >= 6 && c.examples().size() <= 12, "examples of " + c.id() + ": " + c.examples().size());
            c.examples().forEach(e -> assertFalse(e.isBlank(), "blank example in " + c.id()));
        }
    }

    @Test
    void loadIncludesGhgScope3() {
        assertTrue(BuiltInTaxonomies.load(JSON).stream().anyMatch(t -> t.id().equals(BuiltInTaxonomies.GHG_SCOPE3)));
    }

    @Test
    void theIdsAreThoseLoaded() {
        assertEquals(BuiltInTaxonomies.ids(), BuiltInTaxonomies.load(JSON).stream().map(Taxonomy::id).collect(Collectors.toSet()));
    }

    @Test
    void theGatewaysMapperReadsTheFilesAsWritten() {
        ObjectMapper gateways = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        assertEquals(BuiltInTaxonomies.ghgScope3(JSON), BuiltInTaxonomies.ghgScope3(gateways), "defaultCategory is not default_category");
    }
}
