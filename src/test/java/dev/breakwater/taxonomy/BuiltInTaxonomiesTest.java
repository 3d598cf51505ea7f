package dev.breakwater.taxonomy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltInTaxonomiesTest {

    @Test
    void ghgScope3HasTheFifteenProtocolCategoriesInOrder() {
        Taxonomy t = BuiltInTaxonomies.ghgScope3();

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
        for (Category c : BuiltInTaxonomies.ghgScope3().categories()) {
            assertFalse(c.label() == null || c.label().isBlank(), "label of " + c.id());
            assertFalse(c.description() == null || c.description().isBlank(), "description of " + c.id());
            assertTrue(c.examples().size() >= 6 && c.examples().size() <= 12, "examples of " + c.id() + ": " + c.examples().size());
            c.examples().forEach(e -> assertFalse(e.isBlank(), "blank example in " + c.id()));
        }
    }

    @Test
    void loadIncludesGhgScope3() {
        assertTrue(BuiltInTaxonomies.load().stream().anyMatch(t -> t.id().equals(BuiltInTaxonomies.GHG_SCOPE3)));
    }
}
