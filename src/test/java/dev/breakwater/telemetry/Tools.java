package dev.breakwater.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The Prometheus binaries the operations tests run (Debian package {@code prometheus}, which bin/test installs). */
final class Tools {

    private Tools() {
    }

    static String require(String binary) {
        return find(binary).orElseThrow(() -> new AssertionError(binary + " is not installed: apt-get install -y prometheus "
                + "(bin/test installs it when missing)"));
    }

    static java.util.Optional<String> find(String binary) {
        return Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, binary))
                .filter(Files::isExecutable).findFirst().map(Path::toString);
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command to completion (at most 180 s: an npm install) in {@code dir}, stdout and stderr together. */
    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 180 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
