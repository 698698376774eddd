package dev.headroom.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns a data directory.
 *
 * <p>Across processes the owner holds an OS file lock (zonky's {@code epg-lock} in the PostgreSQL data directory,
 * {@code redis.lock} in the Redis one); the kernel drops it when the owner dies, even by SIGKILL. Within this JVM a
 * registry answers instead: POSIX locks belong to the process, and closing <em>any</em> channel on the file
 * releases them all (see {@link FileLock}), so probing a lock this JVM holds would break it.
 */
final class DataDirs {

    private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

    private DataDirs() {
    }

    /** Registers {@code dir} as used by an Infra of this JVM; false if one already uses it. */
    static boolean claimInJvm(Path dir) {
        return IN_USE.add(dir);
    }

    static void releaseInJvm(Path dir) {
        IN_USE.remove(dir);
    }

    /** True if another process holds a lock on {@code lockFile}. Does not create the file. */
    static boolean lockedByAnotherProcess(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by code in this JVM that is not an Infra (e.g. a direct zonky user)
        } catch (IOException e) {
            return false; // cannot tell; postgres itself refuses a data directory in use
        }
    }

    /** Takes the lock on {@code lockFile} (created if missing) and keeps it until the returned channel is closed; null if another process holds it. */
    static FileChannel lock(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // held elsewhere in this JVM
        }
        channel.close();
        return null;
    }

    static String inUseMessage(String server, Path dir, Path lockFile) {
        return server + ": data directory " + dir + " is in use by another running headroom process (it holds "
                + lockFile.getFileName() + "); stop that process or use another --data-dir";
    }
}
