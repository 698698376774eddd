package dev.headroom.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The last lines of a server log, for failure messages. */
final class LogTail {

    static final int LINES = 20;
    /** Reads at most this many bytes from the end of the file; enough for 20 lines of server log. */
    private static final int MAX_BYTES = 16 * 1024;

    private LogTail() {
    }

    static List<String> lastLines(Path file, int lines) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            List<String> all = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
            if (size < length && !all.isEmpty()) {
                all.remove(0); // probably a partial line
            }
            all.removeIf(String::isBlank);
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** "server failed to start: cause" plus the log tail, for an {@link InfraException}. */
    static String failureMessage(String server, String cause, Path logFile) {
        StringBuilder message = new StringBuilder(server).append(" failed to start: ").append(cause);
        List<String> tail = lastLines(logFile, LINES);
        if (tail.isEmpty()) {
            message.append(" (").append(logFile).append(" is empty or missing)");
        } else {
            message.append("\nlast ").append(tail.size()).append(" lines of ").append(logFile).append(':');
            for (String line : tail) {
                message.append("\n  ").append(line);
            }
        }
        return message.toString();
    }
}
