package dev.breakwater.status;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The Debian chromium package driven from the command line: a page's DOM after load, or a screenshot. */
final class HeadlessChromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    static String dumpDom(URL page) throws IOException, InterruptedException {
        return new String(run(List.of("--dump-dom", page.toString())), StandardCharsets.UTF_8);
    }

    static void screenshot(URL page, Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1200,800", "--hide-scrollbars", page.toString()));
    }

    private static byte[] run(List<String> args) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install -y chromium chromium-driver (bin/test does it)");
        }
        Path profile = Files.createTempDirectory("breakwater-chromium-");
        Path log = Files.createTempFile("breakwater-chromium-", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                    "--user-data-dir=" + profile));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            return out;
        } finally {
            delete(profile);
            Files.deleteIfExists(log);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
