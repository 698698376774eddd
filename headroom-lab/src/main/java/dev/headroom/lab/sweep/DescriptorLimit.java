package dev.headroom.lab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** This process's limit on open file descriptors (RLIMIT_NOFILE, soft), read from {@code /proc/self/limits}. */
final class DescriptorLimit {
    private DescriptorLimit() {
    }

    /** Empty where /proc does not tell (not Linux) or the limit is unlimited. */
    static OptionalLong soft() {
        try {
            return parse(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parse(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                return fields[0].equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[0]));
            }
        }
        return OptionalLong.empty();
    }
}
