package dev.headroom.experiments.journey;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code --profile-cpu}: each node of a step runs with a flight recording (JFR's {@code profile} settings), written
 * when the node exits; the hottest methods are those on top of the most execution samples, over all nodes.
 */
final class CpuProfile {
    static final int TOP = 8;

    /** A method and its share of the step's execution samples. */
    public record Frame(String method, long samples, double share) {
    }

    private CpuProfile() {
    }

    /** The JVM option that makes a node record into {@code file}. */
    static String jvmOption(Path file) {
        return "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + file.toAbsolutePath();
    }

    static List<Frame> top(List<Path> recordings) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        long total = 0;
        for (Path file : recordings) {
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                        || e.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                RecordedFrame top = e.getStackTrace().getFrames().getFirst();
                counts.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1L, Long::sum);
                total++;
            }
        }
        long all = total;
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(TOP)
                .map(e -> new Frame(e.getKey(), e.getValue(), (double) e.getValue() / all)).toList();
    }
}
