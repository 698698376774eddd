package dev.headroom.infra;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Parses and validates the URLs of external servers ({@code postgresUrl}, {@code redisUrl}).
 *
 * <p>Hand-written rather than {@link java.net.URI}: {@code URI} refuses host names with underscores (it then
 * reports a null host), and JDBC URLs are opaque to it. Messages never echo a password.
 */
final class Urls {

    static final String POSTGRES_FORMAT = "jdbc:postgresql://host:port/database?user=..&password=..";
    static final String REDIS_FORMAT = "redis://host:port";
    static final int POSTGRES_DEFAULT_PORT = 5432;
    static final int REDIS_DEFAULT_PORT = 6379;

    private static final String POSTGRES_PREFIX = "jdbc:postgresql://";
    private static final String REDIS_PREFIX = "redis://";
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&#]*");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private Urls() {
    }

    /** An external PostgreSQL server; {@code user} and {@code password} may be null. */
    record PostgresTarget(String host, int port, String database, String user, String password) {
    }

    /** An external Redis server. */
    record RedisTarget(String host, int port) {
    }

    static PostgresTarget parsePostgres(String url) {
        Objects.requireNonNull(url, "postgresUrl must not be null");
        if (!url.startsWith(POSTGRES_PREFIX)) {
            throw badFormat("postgresUrl", POSTGRES_FORMAT, url);
        }
        String rest = url.substring(POSTGRES_PREFIX.length());
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw badFormat("postgresUrl", POSTGRES_FORMAT, url);
        }
        String database = rest.substring(slash + 1);
        if (database.isEmpty() || database.contains("/") || database.contains("#")) {
            throw badFormat("postgresUrl", POSTGRES_FORMAT, url);
        }
        HostPort hostPort = parseAuthority(rest.substring(0, slash), POSTGRES_DEFAULT_PORT, "postgresUrl", POSTGRES_FORMAT, url);
        String user = null;
        String password = null;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "postgresUrl", url);
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> throw new IllegalArgumentException("postgresUrl must carry no parameters other than user and password"
                            + " (the topology hands out host, port and database only), was " + mask(url));
                }
            }
        }
        return new PostgresTarget(hostPort.host(), hostPort.port(), database, user, password);
    }

    static RedisTarget parseRedis(String url) {
        Objects.requireNonNull(url, "redisUrl must not be null");
        if (!url.startsWith(REDIS_PREFIX)) {
            throw badFormat("redisUrl", REDIS_FORMAT, url);
        }
        String rest = url.substring(REDIS_PREFIX.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.contains("@")) {
            throw new IllegalArgumentException("redisUrl must not carry a user or password (not supported yet), was "
                    + REDIS_PREFIX + "***" + rest.substring(rest.lastIndexOf('@')));
        }
        if (rest.contains("/") || rest.contains("?") || rest.contains("#")) {
            throw badFormat("redisUrl", REDIS_FORMAT, url);
        }
        HostPort hostPort = parseAuthority(rest, REDIS_DEFAULT_PORT, "redisUrl", REDIS_FORMAT, url);
        return new RedisTarget(hostPort.host(), hostPort.port());
    }

    /** Brackets an IPv6 literal for use in a URL. */
    static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The URL with any password replaced by {@code ***}, for messages. */
    static String mask(String url) {
        return PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    }

    private record HostPort(String host, int port) {
    }

    private static HostPort parseAuthority(String authority, int defaultPort, String setting, String format, String url) {
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw badFormat(setting, format, url);
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw badFormat(setting, format, url);
                }
                portText = after.substring(1);
            }
            if (host.isEmpty() || !host.matches("[0-9A-Fa-f:.%a-z]+")) {
                throw badFormat(setting, format, url);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (!HOST_NAME.matcher(host).matches()) {
                throw badFormat(setting, format, url);
            }
        }
        int port = defaultPort;
        if (portText != null) {
            if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
                throw new IllegalArgumentException(setting + " port must be between 1 and 65535, was " + mask(url));
            }
            port = Integer.parseInt(portText);
        }
        return new HostPort(host, port);
    }

    private static String decode(String value, String setting, String url) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " must be percent-encoded correctly, was " + mask(url), e);
        }
    }

    private static IllegalArgumentException badFormat(String setting, String format, String url) {
        return new IllegalArgumentException(setting + " must look like " + format + ", was " + mask(url));
    }
}
