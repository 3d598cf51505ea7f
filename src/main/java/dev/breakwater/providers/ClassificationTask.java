package dev.breakwater.providers;

import dev.breakwater.taxonomy.Taxonomy;

/**
 * The structured form of a categorization prompt. Cloud models read the rendered prompt; the local
 * model cannot, so it classifies this directly.
 */
public record ClassificationTask(Taxonomy taxonomy, String text) {
}
