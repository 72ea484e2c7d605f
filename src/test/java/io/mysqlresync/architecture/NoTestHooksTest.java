package io.mysqlresync.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped bot carries no switch that only tests throw: a test that needs the bot to stop
 * between two statements holds the statement on the network (testsupport NodeLink) or on the
 * server, from outside. A property read in main code would be a way to change what runs in
 * production, and a test passing through it would test the hook, not the bot.
 */
class NoTestHooksTest {

    @Test
    void mainCodeReadsNoTestOnlyProperty() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(main), "run from the project directory: " + main.toAbsolutePath());
        List<String> hooks;
        try (Stream<Path> files = Files.walk(main)) {
            hooks = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> lines(f).filter(l -> l.contains("\"mysqlresync.test.")).map(l -> f + ": " + l.strip()))
                    .toList();
        }
        assertEquals(List.of(), hooks);
    }

    private static Stream<String> lines(Path f) {
        try {
            return Files.readAllLines(f).stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
