package dev.headroom.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming replica {@code replica-N} of the embedded primary: a hot standby that connects to the primary as
 * {@code application_name=replica-N} through the physical slot {@code headroom_replica_N}.
 *
 * <p>Before each start ({@link #prepare}) it decides whether its data directory is still a standby of this primary:
 * it is when it has {@code standby.signal}, its {@value #SOURCE_FILE} file names the primary's
 * {@code system_identifier}, and its slot already existed (a slot made now holds no WAL the old data needs).
 * Then it starts on that data and catches up by streaming. Otherwise the directory is emptied and filled by a new
 * {@link BaseBackup}; {@code standby.signal} is written last, so a backup cut short is redone on the next start.
 * When the primary cannot be reached, a directory that was a standby is started anyway (a standby waits for its
 * primary).
 *
 * <p>The standby settings ({@code primary_conninfo}, {@code primary_slot_name}, {@code hot_standby},
 * {@code hot_standby_feedback}) are passed with {@code -c} at each start, after the durability and user settings
 * (which it shares with the primary), so they follow the primary's port and are never stale in a file.
 */
final class ReplicaProcessNode extends PostgresProcessNode {

    /** File in the replica's data directory with the system identifier of the primary it was copied from. */
    static final String SOURCE_FILE = "headroom-primary-id";
    static final String SLOT_PREFIX = "headroom_replica_";
    private static final Pattern SLOT_NAME = Pattern.compile(SLOT_PREFIX + "(\\d{1,9})");
    private static final Duration PRIMARY_TIMEOUT = Duration.ofSeconds(10);

    private final PostgresProcessNode primary;
    private final String slot;

    ReplicaProcessNode(int number, Path dataDir, String shownDataDir, Path log, int port, boolean durable,
                       Map<String, String> settings, PostgresProcessNode primary, Consumer<String> progress) {
        super(name(number), NodeKind.REPLICA, name(number), dataDir, shownDataDir, log, port, durable,
                standbySettings(settings, number, primary.port()), progress);
        this.primary = primary;
        this.slot = SLOT_PREFIX + number;
    }

    static String name(int number) {
        return "replica-" + number;
    }

    private static Map<String, String> standbySettings(Map<String, String> settings, int number, int primaryPort) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("primary_conninfo", "host=" + Ports.LOOPBACK.getHostAddress() + " port=" + primaryPort + " user="
                + PostgresServer.USER + " application_name=" + name(number));
        all.put("primary_slot_name", SLOT_PREFIX + number);
        all.put("hot_standby", "on");
        all.put("hot_standby_feedback", "on");
        return all;
    }

    @Override
    void prepare() {
        Path dir = dataDir();
        boolean standby = Files.exists(dir.resolve("standby.signal"));
        String madeFrom = readSource(dir);
        String systemId;
        boolean slotExisted;
        try (Connection connection = Probes.connect(primary.endpoint(), PRIMARY_TIMEOUT)) {
            systemId = systemIdentifier(connection);
            slotExisted = ensureSlot(connection, slot);
        } catch (SQLException e) {
            if (standby && madeFrom != null) {
                progress().accept(label() + ": the primary does not answer (" + e.getMessage() + "); starting on its data, it waits for the primary");
                return;
            }
            throw new InfraException(label() + ": could not reach the primary for a base backup: " + e.getMessage(), e);
        }
        String reason;
        if (!standby) {
            reason = Files.exists(dir.resolve("PG_VERSION")) ? "its data directory is not a complete standby" : "new replica";
        } else if (!systemId.equals(madeFrom)) {
            reason = "its data was copied from another primary (system " + madeFrom + ", the primary is " + systemId + ")";
        } else if (!slotExisted) {
            reason = "its slot " + slot + " was missing, so the WAL it needs may be gone";
        } else {
            progress().accept(label() + ": reusing its data (a standby of the primary); it catches up by streaming");
            return;
        }
        progress().accept(label() + ": making a base backup from the primary (" + reason + ")");
        long started = System.nanoTime();
        try {
            if (Files.exists(dir)) {
                Infra.deleteTree(dir);
            }
            long bytes = BaseBackup.take(primary.endpoint(), primary.dataDir(), dir, "headroom " + name());
            Files.writeString(dir.resolve(SOURCE_FILE), systemId + "\n", StandardCharsets.UTF_8);
            Files.createFile(dir.resolve("standby.signal"));
            progress().accept(String.format("%s: base backup from the primary (%d MB) in %.1f s", label(),
                    Math.round(bytes / 1_048_576.0), (System.nanoTime() - started) / 1e9));
        } catch (IOException | SQLException e) {
            throw new InfraException(label() + ": base backup from the primary into " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private static String readSource(Path dir) {
        try {
            return Files.readString(dir.resolve(SOURCE_FILE), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static String systemIdentifier(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Creates the physical slot, reserving WAL from now, unless it exists; true if it existed. */
    private static boolean ensureSlot(Connection connection, String slot) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            exists.setString(1, slot);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        try (PreparedStatement create = connection.prepareStatement("SELECT pg_create_physical_replication_slot(?, true)")) {
            create.setString(1, slot);
            create.executeQuery().close();
        }
        return false;
    }

    /**
     * Drops the slots {@code headroom_replica_K} with K above {@code count}: nothing reads them any more, and an
     * unread slot keeps the primary's WAL forever. Reports each drop; a failure is reported, not thrown.
     */
    static void dropSlotsAbove(PostgresNode primary, int count, Consumer<String> log) {
        try (Connection connection = Probes.connect(primary, PRIMARY_TIMEOUT)) {
            List<String> stale = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'physical'")) {
                while (rs.next()) {
                    Matcher m = SLOT_NAME.matcher(rs.getString(1));
                    if (m.matches() && Integer.parseInt(m.group(1)) > count) {
                        stale.add(rs.getString(1));
                    }
                }
            }
            for (String slot : stale) {
                try (PreparedStatement drop = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    drop.setString(1, slot);
                    drop.executeQuery().close();
                }
                log.accept("postgres: dropped replication slot " + slot + " (no replica " + slot.substring(SLOT_PREFIX.length())
                        + " in this topology; it kept WAL)");
            }
        } catch (SQLException e) {
            log.accept("postgres: could not drop replication slots of replicas no longer configured: " + e.getMessage());
        }
    }
}
