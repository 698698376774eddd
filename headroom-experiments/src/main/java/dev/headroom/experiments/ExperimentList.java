package dev.headroom.experiments;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A lab's {@code --experiments} list: comma-separated ids of an enum's constants, in the enum's order whatever the list's. */
public final class ExperimentList {
    private ExperimentList() {
    }

    /** @throws IllegalArgumentException naming an unknown id and the known ones */
    public static <E extends Enum<E>> Set<E> parse(String text, Class<E> type, Function<E, String> id) {
        E[] all = type.getEnumConstants();
        Set<E> chosen = EnumSet.noneOf(type);
        for (String part : text.split(",", -1)) {
            String wanted = part.strip().toLowerCase(Locale.ROOT);
            chosen.add(Arrays.stream(all).filter(e -> id.apply(e).equals(wanted)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "the experiments must be among " + Arrays.stream(all).map(id).collect(Collectors.joining(", ")) + ", was '" + part.strip() + "'")));
        }
        return chosen;
    }
}
