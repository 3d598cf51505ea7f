package dev.breakwater.providers.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.taxonomy.BuiltInTaxonomies;
import dev.breakwater.taxonomy.Taxonomy;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evaluates the local classifier with the real quantized MiniLM model on a held-out labelled set. */
class LocalClassifierTest {

    private static final double MIN_ACCURACY = 0.60;
    private static final double QUALITY_THRESHOLD = 0.6;

    private static LocalClassifier classifier;

    private record Labelled(String category, String text) {
    }

    @BeforeAll
    static void setUp() {
        Taxonomy taxonomy = BuiltInTaxonomies.ghgScope3(new ObjectMapper());
        classifier = new LocalClassifier(new AllMiniLmL6V2QuantizedEmbeddingModel(), taxonomy);
    }

    @ParameterizedTest
    @CsvSource({
            "Delta flight tickets for the sales team, 6",
            "diesel for delivery trucks run by a logistics partner, 4",
            "office paper and toner, 1"
    })
    void obviousCasesAreConfident(String text, String expected) {
        Classification c = classifier.classify(text);
        System.out.printf("obvious: %-55s -> %s (%.3f)%n", text, c.categoryId(), c.confidence());
        assertEquals(expected, c.categoryId(), text);
        assertTrue(c.confidence() >= QUALITY_THRESHOLD, text + " confidence " + c.confidence());
    }

    @Test
    void nonsenseIsClearlyLessConfidentThanObviousCases() {
        double nonsense = classifier.classify("asdf qwerty").confidence();
        double weakestObvious = Math.min(
                classifier.classify("Delta flight tickets for the sales team").confidence(),
                Math.min(classifier.classify("diesel for delivery trucks run by a logistics partner").confidence(),
                        classifier.classify("office paper and toner").confidence()));
        System.out.printf("nonsense confidence %.3f, weakest obvious %.3f%n", nonsense, weakestObvious);
        assertTrue(nonsense < QUALITY_THRESHOLD, "nonsense passes the quality gate: " + nonsense);
        assertTrue(nonsense < weakestObvious - 0.3, "nonsense " + nonsense + " vs obvious " + weakestObvious);
    }

    @Test
    void confidenceAndScoresAreProbabilities() {
        for (String text : List.of("asdf qwerty", "office paper and toner", "leased vans", "x")) {
            Classification c = classifier.classify(text);
            assertTrue(c.confidence() >= 0 && c.confidence() <= 1, text + ": " + c.confidence());
            assertEquals(15, c.scores().size());
            assertEquals(1.0, c.scores().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
            assertEquals(c.confidence(), c.scores().get(c.categoryId()), 1e-12);
        }
    }

    @Test
    void blankTextFallsBackToDefaultWithZeroConfidence() {
        Classification c = classifier.classify("  ");
        assertEquals("1", c.categoryId());
        assertEquals(0.0, c.confidence());
    }

    @Test
    void concurrentCallsAgreeWithSequentialOnes() throws IOException {
        List<Labelled> data = readLabelled();
        List<String> sequential = data.stream().map(l -> classifier.classify(l.text()).categoryId()).toList();
        List<String> parallel = data.parallelStream().map(l -> classifier.classify(l.text()).categoryId()).toList();
        assertEquals(sequential, parallel);
    }

    @Test
    void accuracyOnHeldOutSet() throws IOException {
        List<Labelled> data = readLabelled();
        assertTrue(data.size() >= 60, "labelled set too small: " + data.size());

        Map<String, int[]> perCategory = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        List<String> misses = new ArrayList<>();
        int correct = 0;
        int confidentCorrect = 0;
        int confident = 0;
        for (Labelled l : data) {
            Classification c = classifier.classify(l.text());
            boolean ok = c.categoryId().equals(l.category());
            int[] counts = perCategory.computeIfAbsent(l.category(), k -> new int[2]);
            counts[1]++;
            if (ok) {
                correct++;
                counts[0]++;
            } else {
                misses.add(String.format("  %2s -> %2s (%.2f) %s", l.category(), c.categoryId(), c.confidence(), l.text()));
            }
            if (c.confidence() >= QUALITY_THRESHOLD) {
                confident++;
                confidentCorrect += ok ? 1 : 0;
            }
        }
        double accuracy = (double) correct / data.size();

        System.out.printf("local classifier accuracy: %d/%d = %.1f%%%n", correct, data.size(), 100 * accuracy);
        System.out.printf("at confidence >= %.1f: %d/%d answered, %.1f%% of them correct%n",
                QUALITY_THRESHOLD, confident, data.size(), confident == 0 ? 0.0 : 100.0 * confidentCorrect / confident);
        perCategory.forEach((id, c) -> System.out.printf("  category %2s: %d/%d%n", id, c[0], c[1]));
        System.out.println("misses (expected -> got):");
        misses.forEach(System.out::println);

        assertTrue(accuracy >= MIN_ACCURACY, String.format("accuracy %.3f below %.2f", accuracy, MIN_ACCURACY));
    }

    private static List<Labelled> readLabelled() throws IOException {
        InputStream in = LocalClassifierTest.class.getResourceAsStream("/local-model/labelled.csv");
        assertNotNull(in, "labelled.csv missing");
        List<Labelled> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            assertEquals("category,text", header);
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                assertTrue(comma > 0, "malformed line: " + line);
                rows.add(new Labelled(line.substring(0, comma).trim(), unquote(line.substring(comma + 1).trim())));
            }
        }
        assertFalse(rows.isEmpty());
        return rows;
    }

    /** The text is the last column, so only RFC 4180 quoting of that single field needs handling. */
    private static String unquote(String field) {
        if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
            return field.substring(1, field.length() - 1).replace("\"\"", "\"");
        }
        return field;
    }
}
