package dev.headroom.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Data directories for tests. initdb takes seconds on a small machine, so it runs once per test JVM into a
 * template, and tests that do not test initdb itself start from a copy.
 */
final class TestDirs {

    private static Path template;
    private static List<String> templateLog;

    private TestDirs() {
    }

    /** Fills {@code target} with an initialized (and cleanly stopped) PostgreSQL data directory. */
    static synchronized Path initialized(Path target) {
        try {
            if (template == null) {
                Path dir = Files.createTempDirectory("headroom-infra-template");
                List<String> log = new CopyOnWriteArrayList<>();
                Infra.builder().dataDir(dir).postgresPort(0).redisPort(0).durable(false).stopOnShutdown(false)
                        .log(log::add).start().close();
                templateLog = List.copyOf(log);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
                template = dir;
            }
            if (target == null) {
                return null;
            }
            Path source = template.resolve("postgres");
            Path copy = target.resolve("postgres");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path to = copy.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else if (!file.getFileName().toString().equals(PostgresServer.LOCK_FILE)) {
                        Files.copy(file, to);
                    }
                }
            }
            // postgres refuses a data directory that others may read
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template's directory and the progress lines of its first start, which ran initdb. */
    static synchronized Map.Entry<Path, List<String>> templateStart() {
        initialized(null);
        return Map.entry(template, templateLog);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // temporary directory; the OS cleans up eventually
        }
    }
}
