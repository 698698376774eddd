package dev.headroom.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

/**
 * A physical base backup of a running embedded primary, taken in Java: the bundle has no {@code pg_basebackup}.
 *
 * <p>Method (the "low level API" of the PostgreSQL manual, "Making a Base Backup Using the Low Level API"): on one
 * connection {@code pg_backup_start(label, true)} (a fast checkpoint), a file copy of the data directory while the
 * server runs, then {@code pg_backup_stop(true)} on the same connection, whose label file becomes the copy's
 * {@code backup_label}. Files that change during the copy are fine: {@code full_page_writes} is forced on during a
 * backup and replay from the backup's redo point repairs torn pages. WAL is not copied; the standby streams it from
 * the primary through its replication slot, which must exist (reserving WAL) before the backup starts.
 *
 * <p>Left out, as {@code pg_basebackup} leaves them out: the contents of {@code pg_wal}, {@code pg_replslot},
 * {@code pg_stat_tmp} and the other runtime directories (the directories themselves are kept), the pid and options
 * files, zonky's lock, {@code pg_internal.init}, temporary files ({@code pgsql_tmp*}), and recovery markers.
 * Files that vanish during the copy (a dropped table, a rotated stats file) are skipped.
 */
final class BaseBackup {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** Directories whose contents the server rebuilds or must not inherit. */
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_subtrans");
    private static final Set<String> SKIPPED_FILES = Set.of(PostgresServer.PID_FILE, "postmaster.opts", PostgresServer.LOCK_FILE,
            "backup_label", "tablespace_map", "standby.signal", "recovery.signal", ReplicaProcessNode.SOURCE_FILE);

    /** Bounds each call on the primary (the fast checkpoint of pg_backup_start is the slow one). */
    private static final Duration BACKUP_TIMEOUT = Duration.ofSeconds(120);

    private BaseBackup() {
    }

    /**
     * Copies the primary's data directory {@code source} into the empty or missing directory {@code target} (mode
     * 0700) and writes its {@code backup_label} (and {@code tablespace_map} when there is one).
     *
     * @return the bytes copied
     */
    static long take(PostgresNode primary, Path source, Path target, String label) throws SQLException, IOException {
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        Files.createDirectories(target, ownerOnly);
        Files.setPosixFilePermissions(target, OWNER_ONLY); // an existing directory, or a umask that took bits away
        try (Connection connection = Probes.connect(primary, BACKUP_TIMEOUT); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT pg_backup_start('" + label.replace("'", "''") + "', true)")) {
                rs.next();
            }
            long bytes;
            try {
                bytes = copy(source, target, ownerOnly);
            } catch (IOException | RuntimeException e) {
                try (ResultSet rs = statement.executeQuery("SELECT pg_backup_stop(false)")) {
                    rs.next(); // ends the backup on the primary; the copy is thrown away by the caller
                } catch (SQLException stop) {
                    e.addSuppressed(stop);
                }
                throw e;
            }
            try (ResultSet rs = statement.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(true)")) {
                rs.next();
                Files.writeString(target.resolve("backup_label"), rs.getString(1), StandardCharsets.UTF_8);
                String spcmap = rs.getString(2);
                if (spcmap != null && !spcmap.isEmpty()) {
                    Files.writeString(target.resolve("tablespace_map"), spcmap, StandardCharsets.UTF_8);
                }
            }
            return bytes;
        }
    }

    private static long copy(Path source, Path target, FileAttribute<Set<PosixFilePermission>> ownerOnly) throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (skippedDirectory(source.relativize(dir))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Path to = target.resolve(source.relativize(dir).toString());
                if (!Files.isDirectory(to)) {
                    Files.createDirectory(to, ownerOnly);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isRegularFile() || skipped(source.relativize(file))) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                    bytes[0] += attrs.size();
                } catch (NoSuchFileException e) {
                    // dropped while we copied; WAL replay knows it is gone
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return bytes[0];
    }

    /**
     * {@code relative}: a directory's path inside the data directory. A slot's directory in {@code pg_replslot}
     * without its state file makes the standby panic, so no directory below an emptied one is kept, except
     * {@code pg_wal}'s ({@code archive_status}, {@code summaries}).
     */
    static boolean skippedDirectory(Path relative) {
        String top = relative.getName(0).toString();
        return relative.getNameCount() > 1 && EMPTIED.contains(top) && !top.equals("pg_wal");
    }

    /** {@code relative}: a regular file's path inside the data directory. */
    static boolean skipped(Path relative) {
        String top = relative.getName(0).toString();
        if (relative.getNameCount() > 1 && EMPTIED.contains(top)) {
            return true;
        }
        String name = relative.getFileName().toString();
        if (relative.getNameCount() == 1 && SKIPPED_FILES.contains(name)) {
            return true;
        }
        if (name.equals("pg_internal.init")) {
            return true; // relation cache init files, rebuilt at start
        }
        for (Path part : relative) {
            if (part.toString().startsWith("pgsql_tmp")) {
                return true; // a temporary file, or one inside a temporary directory (base/pgsql_tmp/...)
            }
        }
        return false;
    }
}
