package dev.breakwater.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.breakwater.deploy.Yamls.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker engine runs where the tests run, so the gateway image's Dockerfile is checked for what makes
 * its JDK AOT cache load at all: a cache loads only into the JVM build that wrote it, only with the jar
 * files it was trained on (same sizes and modification times), and only when the JVM is told its path.
 * Anything else, and the JVM logs an error and starts without it.
 */
class ContainerImageTest {

    private static final Path DOCKERFILE = ROOT.resolve("src/main/docker/Dockerfile.jvm");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+((?:--\\S+\\s+)*)(\\S+)\\s+(\\S+)\\s*$");

    private final String dockerfile = Yamls.read(DOCKERFILE);
    private final List<String> stages = stages(dockerfile);

    @Test
    void bothStagesRunOneJdk25Image() {
        assertEquals(2, stages.size(), "a training stage and the image");
        for (String stage : stages) {
            assertTrue(stage.startsWith("FROM ${JAVA_IMAGE}"), "every stage on ${JAVA_IMAGE}: " + stage.lines().findFirst().orElse(""));
        }
        Matcher image = Pattern.compile("(?m)^ARG JAVA_IMAGE=\\S*openjdk-(\\d+)-runtime:\\S+$").matcher(dockerfile);
        assertTrue(image.find(), "ARG JAVA_IMAGE names an OpenJDK runtime image");
        assertTrue(Integer.parseInt(image.group(1)) >= 25, "the AOT cache (-XX:AOTCacheOutput) needs JDK 25: " + image.group());
    }

    @Test
    void theJvmLoadsTheCacheTheTrainingWrote() {
        Matcher training = Pattern.compile("dev\\.breakwater\\.testing\\.AotTraining\\s+(\\S+)").matcher(stages.get(0));
        assertTrue(training.find(), "the first stage runs AotTraining");
        String app = training.group(1);
        String cache = app + "/app.aot"; // AotTraining writes next to the jar
        String image = stages.get(1);

        assertTrue(copies(image).contains(new Copy(true, cache, cache)), "the image copies " + cache + " from the training stage");
        assertTrue(javaOptsAppend(image).contains("-XX:AOTCache=" + cache), javaOptsAppend(image).toString());
        assertTrue(image.contains("ENV JAVA_APP_JAR=\"" + app + "/quarkus-run.jar\""), "run-java.sh starts the trained jar");
    }

    @Test
    void theJvmGivesFreedNativeMemoryBack() {
        // Measured at ~35 MB resident after warm-up (docs/BENCHMARKS.md); the image's JDK (>= 25, above) knows the flag.
        List<String> options = javaOptsAppend(stages.get(1));
        assertTrue(options.stream().anyMatch(o -> o.matches("-XX:TrimNativeHeapInterval=[1-9]\\d*")), options.toString());
    }

    @Test
    void theTrainingAndTheImageShareOneObjectHeaderLayout() {
        // A cache made with 12-byte headers does not load into a JVM running compact ones, and the reverse.
        Matcher training = Pattern.compile("AotTraining\\s+\\S+\\s+\\d+((?:\\s+-XX:\\S+)*)").matcher(stages.get(0));
        assertTrue(training.find(), "the first stage runs AotTraining");
        boolean trainedCompact = training.group(1).contains("-XX:+UseCompactObjectHeaders");
        boolean runsCompact = javaOptsAppend(stages.get(1)).contains("-XX:+UseCompactObjectHeaders");
        assertEquals(runsCompact, trainedCompact, "training: '" + training.group(1).trim() + "'");
    }

    @Test
    void theImageShipsTheTrainedFilesThemselves() {
        // Fresh copies from the build context could differ in modification time from the trained ones.
        List<String> fromContext = copies(stages.get(1)).stream().filter(c -> !c.fromStage()).map(Copy::source).toList();
        assertEquals(List.of("config/gateway.yaml"), fromContext);
    }

    private record Copy(boolean fromStage, String source, String target) {
    }

    /** The options the image adds to run-java.sh's own. */
    private static List<String> javaOptsAppend(String stage) {
        Matcher options = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"$").matcher(stage);
        assertTrue(options.find(), "the image sets JAVA_OPTS_APPEND");
        return List.of(options.group(1).split("\\s+"));
    }

    private static List<Copy> copies(String stage) {
        List<Copy> copies = new ArrayList<>();
        Matcher copy = COPY.matcher(stage);
        while (copy.find()) {
            copies.add(new Copy(copy.group(1).contains("--from="), copy.group(2), copy.group(3)));
        }
        return copies;
    }

    /** The text of each build stage, from its FROM line on. */
    private static List<String> stages(String dockerfile) {
        List<String> stages = new ArrayList<>();
        Matcher from = Pattern.compile("(?m)^FROM\\s").matcher(dockerfile);
        List<Integer> starts = new ArrayList<>();
        while (from.find()) {
            starts.add(from.start());
        }
        for (int i = 0; i < starts.size(); i++) {
            stages.add(dockerfile.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : dockerfile.length()));
        }
        return stages;
    }
}
