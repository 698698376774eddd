package dev.headroom.lab.usl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UslCsvTest {
    @TempDir
    Path dir;

    @Test
    void readsRowsSkippingAHeaderCommentsAndBlankLines() throws IOException {
        Path csv = write("\uFEFF# from the l2 step\nconcurrency, throughput\n\n1,100\n 2 , 190.5 \n# warm\n4,330\n");
        assertThat(UslCsv.read(csv))
                .containsExactly(new UslPoint(1, 100), new UslPoint(2, 190.5), new UslPoint(4, 330));
    }

    @Test
    void aFileWithoutAHeaderIsFine() throws IOException {
        assertThat(UslCsv.read(write("1,10\r\n2,19\r\n"))).hasSize(2);
    }

    @Test
    void namesTheFileAndLineOfABadRow() throws IOException {
        Path csv = write("concurrency,throughput\n1,10\n2,19\n3;12\n");
        assertThatThrownBy(() -> UslCsv.read(csv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("points.csv line 4: expected 'concurrency,throughput', got '3;12'");
        assertThatThrownBy(() -> UslCsv.read(write("1,10\n2,19,7\n")))
                .hasMessage("points.csv line 2: expected 'concurrency,throughput', got '2,19,7'");
        assertThatThrownBy(() -> UslCsv.read(write("1,10\n2,fast\n")))
                .hasMessage("points.csv line 2: expected 'concurrency,throughput', got '2,fast'");
    }

    @Test
    void aHeaderIsOnlyAllowedFirst() throws IOException {
        assertThatThrownBy(() -> UslCsv.read(write("1,10\nn,x\n")))
                .hasMessage("points.csv line 2: expected 'concurrency,throughput', got 'n,x'");
    }

    @Test
    void namesTheFileAndLineOfAnInvalidValue() throws IOException {
        assertThatThrownBy(() -> UslCsv.read(write("# n,x\n0,10\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("points.csv line 2: concurrency must be a finite number >= 1, was 0.0");
        assertThatThrownBy(() -> UslCsv.read(write("1,NaN\n")))
                .hasMessage("points.csv line 1: throughput must be a finite number >= 0, was NaN");
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("points.csv"), text);
    }
}
