package dev.headroom.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A binary still open for writing somewhere cannot be executed (ETXTBSY); Redis's start waits that out. */
class BusyBinaryTest {

    @Test
    void aBinaryFreedWithinTheRetriesStarts(@TempDir Path dir) throws Exception {
        Path script = executable(dir);
        OutputStream writer = Files.newOutputStream(script, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> new ProcessBuilder(script.toString()).start())
                .as("the precondition: exec of a file open for writing fails").hasMessageContaining("Text file busy");
        Thread closer = Thread.ofVirtual().start(() -> {
            sleep(60);
            close(writer);
        });
        Process process = RedisProcess.startWhenNotBusy(new ProcessBuilder(script.toString()));
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(7);
        closer.join();
    }

    @Test
    void aBinaryThatStaysBusyFailsWithTheOriginalError(@TempDir Path dir) throws Exception {
        Path script = executable(dir);
        try (OutputStream writer = Files.newOutputStream(script, java.nio.file.StandardOpenOption.APPEND)) {
            assertThatThrownBy(() -> RedisProcess.startWhenNotBusy(new ProcessBuilder(script.toString())))
                    .isInstanceOf(IOException.class).hasMessageContaining("Text file busy");
        }
    }

    @Test
    void otherFailuresPassThrough(@TempDir Path dir) {
        assertThatThrownBy(() -> RedisProcess.startWhenNotBusy(new ProcessBuilder(dir.resolve("missing").toString())))
                .isInstanceOf(IOException.class).hasMessageContaining("No such file");
    }

    private static Path executable(Path dir) throws IOException {
        Path script = dir.resolve("exits-7.sh");
        Files.writeString(script, "#!/bin/sh\nexit 7\n", StandardCharsets.UTF_8);
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return script;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(OutputStream writer) {
        try {
            writer.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
