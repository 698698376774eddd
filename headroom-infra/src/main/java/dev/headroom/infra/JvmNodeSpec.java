package dev.headroom.infra;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A service node to run as its own JVM process (a shop node, an edge), for {@link Infra#startNodes}. The node
 * is ready when {@code GET http://127.0.0.1:PORT<healthPath>} answers 200.
 *
 * <pre>{@code
 * JvmNodeSpec spec = JvmNodeSpec.builder("node-1", "com.example.Main")
 *         .args(List.of("--port", "{port}", "--db", pg.jdbcUrl()))
 *         .build();
 * }</pre>
 *
 * @param name        unique in the topology: letters, digits and {@code -}
 * @param kind        {@link NodeKind#NODE} or {@link NodeKind#EDGE}
 * @param mainClass   the class whose {@code main} runs
 * @param classpath   the child's class path
 * @param jvmOptions  options before the main class, e.g. {@code -Xmx512m}
 * @param args        program arguments; {@code {port}} in any of them becomes the chosen port
 * @param environment variables the process gets beside this JVM's, e.g. a secret that must not show in its command
 *                    line ({@code ps}); {@link #toString()} shows their names only
 * @param port        the port to listen on, 0 for any free one
 * @param healthPath  the readiness path
 * @param startupWait how long the node may take to answer 200
 * @param niceness    the process's scheduling niceness from its start ({@code nice -n}), 0 to 19; 0 leaves it as this JVM's
 */
public record JvmNodeSpec(String name, NodeKind kind, String mainClass, String classpath, List<String> jvmOptions,
                          List<String> args, Map<String, String> environment, int port, String healthPath, Duration startupWait, int niceness) {

    /** Default readiness path: the shop's. */
    public static final String DEFAULT_HEALTH_PATH = "/health/ready";
    public static final Duration DEFAULT_STARTUP_WAIT = Duration.ofSeconds(60);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public JvmNodeSpec {
        Objects.requireNonNull(name, "name must not be null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be lower-case letters, digits and -, was \"" + name + "\"");
        }
        if (kind != NodeKind.NODE && kind != NodeKind.EDGE) {
            throw new IllegalArgumentException("kind must be NODE or EDGE for a JVM node, was " + kind);
        }
        Objects.requireNonNull(mainClass, "mainClass must not be null");
        Objects.requireNonNull(classpath, "classpath must not be null");
        jvmOptions = List.copyOf(jvmOptions);
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (healthPath == null || !healthPath.startsWith("/")) {
            throw new IllegalArgumentException("healthPath must start with /, was " + healthPath);
        }
        if (startupWait == null || startupWait.isNegative() || startupWait.isZero()) {
            throw new IllegalArgumentException("startupWait must be positive, was " + startupWait);
        }
        if (niceness < 0 || niceness > 19) {
            throw new IllegalArgumentException("niceness must be between 0 and 19, was " + niceness);
        }
    }

    /** This spec with another niceness: e.g. an experiment's servers below its load generator. */
    public JvmNodeSpec withNiceness(int value) {
        return new JvmNodeSpec(name, kind, mainClass, classpath, jvmOptions, args, environment, port, healthPath, startupWait, value);
    }

    @Override
    public String toString() {
        return "JvmNodeSpec[" + name + ", " + kind + ", " + mainClass + ", args " + args + ", environment " + environment.keySet()
                + ", port " + port + "]";
    }

    /** A node of kind NODE on this JVM's class path, any free port, the default health path and wait. */
    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    /** Sets the optional parts of a {@link JvmNodeSpec}; checks happen in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String mainClass;
        private NodeKind kind = NodeKind.NODE;
        private String classpath = System.getProperty("java.class.path");
        private List<String> jvmOptions = List.of();
        private List<String> args = List.of();
        private Map<String, String> environment = Map.of();
        private int port;
        private String healthPath = DEFAULT_HEALTH_PATH;
        private Duration startupWait = DEFAULT_STARTUP_WAIT;

        private Builder(String name, String mainClass) {
            this.name = name;
            this.mainClass = mainClass;
        }

        public Builder kind(NodeKind value) {
            kind = value;
            return this;
        }

        public Builder classpath(String value) {
            classpath = value;
            return this;
        }

        public Builder jvmOptions(List<String> value) {
            jvmOptions = value;
            return this;
        }

        public Builder args(List<String> value) {
            args = value;
            return this;
        }

        public Builder environment(Map<String, String> value) {
            environment = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder healthPath(String value) {
            healthPath = value;
            return this;
        }

        public Builder startupWait(Duration value) {
            startupWait = value;
            return this;
        }

        public JvmNodeSpec build() {
            return new JvmNodeSpec(name, kind, mainClass, classpath, jvmOptions, args, environment, port, healthPath, startupWait, 0);
        }
    }
}
