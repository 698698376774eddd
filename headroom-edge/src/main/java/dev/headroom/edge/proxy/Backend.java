package dev.headroom.edge.proxy;

import java.net.URI;
import java.util.Locale;

/**
 * One upstream server of a cluster: an {@code http://host:port} base and a weight.
 *
 * @param id     the endpoint's name in metrics and the admin API; {@code host:port} unless given
 * @param url    where it listens: scheme http, a host and a port, no path
 * @param weight at least 1
 */
public record Backend(String id, URI url, int weight) {

    public Backend {
        // an id is a path segment of the admin API and a label value of the metrics
        if (id == null || id.isBlank() || id.length() > 128 || !id.chars().allMatch(c -> c > ' ' && c < 127 && "\"\\/?#%".indexOf(c) < 0)) {
            throw new IllegalArgumentException("a backend's id must be 1 to 128 printable ASCII characters without spaces, quotes "
                    + "or any of \\ / ? # %, was '" + id + "'");
        }
        checkUrl(url);
        if (weight < 1 || weight > 1_000) {
            throw new IllegalArgumentException("a backend's weight must be between 1 and 1000, was " + weight);
        }
    }

    /**
     * The command line's form, {@code URL[;weight=N]}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Backend parse(String text) {
        String[] parts = text.strip().split(";", -1);
        URI url = parseUrl(parts[0]);
        int weight = 1;
        for (int i = 1; i < parts.length; i++) {
            String option = parts[i].strip();
            if (!option.toLowerCase(Locale.ROOT).startsWith("weight=")) {
                throw new IllegalArgumentException("a backend takes only ;weight=N after its URL, was '" + option + "' in '" + text + "'");
            }
            try {
                weight = Integer.parseInt(option.substring("weight=".length()).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a backend's weight must be a whole number, was '" + option + "' in '" + text + "'");
            }
        }
        return new Backend(url.getHost() + ":" + url.getPort(), url, weight);
    }

    /** @throws IllegalArgumentException unless an absolute {@code http://host:port} URL */
    public static URI parseUrl(String text) {
        URI url;
        try {
            url = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a backend's URL must look like http://127.0.0.1:8081, was '" + text + "'");
        }
        checkUrl(url);
        return url;
    }

    private static void checkUrl(URI url) {
        if (url == null || !"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 1
                || (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/"))
                || url.getRawQuery() != null) {
            throw new IllegalArgumentException("a backend's URL must look like http://127.0.0.1:8081 (http, a host and a port, no path), was '"
                    + url + "'");
        }
    }
}
