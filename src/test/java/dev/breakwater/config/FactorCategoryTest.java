package dev.breakwater.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FactorCategoryTest {

    @Test
    void onlyLowercaseLettersDigitsAndUnderscoreUpTo64() {
        assertTrue(FactorCategory.isValid("electricity_grid"));
        assertTrue(FactorCategory.isValid("a"));
        assertTrue(FactorCategory.isValid("x".repeat(64)));
        for (String bad : new String[]{"", "x".repeat(65), "Gas", "a-b", "a b", "a/b", "..", "é", "a\n", "a:b"}) {
            assertFalse(FactorCategory.isValid(bad), bad);
        }
        assertFalse(FactorCategory.isValid(null));
    }
}
