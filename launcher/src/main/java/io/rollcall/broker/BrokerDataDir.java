package io.rollcall.broker;

import io.rollcall.broker.BrokerStartException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The broker's data directory, held under an exclusive lock while a broker runs. Layout:
 * <pre>
 * dataDir/rollcall-broker.lock   lock file; holds the owner's pid
 * dataDir/log/                   Kafka's log directory (meta.properties, the KRaft metadata log, topic partitions)
 * dataDir/log.formatting/        only while the first start formats; renamed to log/ when complete
 * </pre>
 * Formatting into a side folder and renaming it means {@code log/} is either complete or absent: a first start
 * killed half-way leaves only {@code log.formatting/}, which the next start discards and redoes.
 */
final class BrokerDataDir implements AutoCloseable {
    static final String LOCK_FILE = "rollcall-broker.lock";
    static final String LOG_DIR = "log";
    static final String FORMATTING_DIR = "log.formatting";
    static final String META_PROPERTIES = "meta.properties";

    /**
     * Directories locked by this JVM. A second FileChannel on the lock file must never be opened here: closing it
     * would drop this process's POSIX lock held through the first channel (see {@link FileLock}).
     */
    private static final Set<Path> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private BrokerDataDir(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates {@code dir} if needed and locks it, or fails with {@link Reason#DATA_DIR_LOCKED} naming it. */
    static BrokerDataDir lock(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (root.toString().contains(",")) {
            // Kafka's log.dirs is a comma-separated list.
            throw new BrokerStartException(Reason.STARTUP_FAILED,
                    "The Kafka data directory " + root + " contains a comma, which Kafka cannot use; choose another path.");
        }
        try {
            Files.createDirectories(root);
            root = root.toRealPath();
        } catch (IOException e) {
            throw new BrokerStartException(Reason.STARTUP_FAILED,
                    "Cannot create the Kafka data directory " + root + " (" + e + ")", e);
        }
        if (!HELD_IN_THIS_PROCESS.add(root)) {
            throw lockedError(root, "a broker already running in this process");
        }
        FileChannel channel = null;
        try {
            Path lockFile = root.resolve(LOCK_FILE);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
                throw lockedError(root, owner.isEmpty() ? "another process" : "process " + owner);
            }
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode(Long.toString(ProcessHandle.current().pid())));
            channel.force(true);
            return new BrokerDataDir(root, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            HELD_IN_THIS_PROCESS.remove(root);
            if (e instanceof BrokerStartException b) {
                throw b;
            }
            throw new BrokerStartException(Reason.STARTUP_FAILED,
                    "Cannot lock the Kafka data directory " + root + " (" + e + ")", e);
        }
    }

    private static BrokerStartException lockedError(Path root, String owner) {
        return new BrokerStartException(Reason.DATA_DIR_LOCKED,
                "The Kafka data directory " + root + " is in use by " + owner + " (lock file " + root.resolve(LOCK_FILE)
                        + "). Only one Rollcall can run on a data directory: stop the other one, or start this one"
                        + " with a different data directory.");
    }

    Path root() {
        return root;
    }

    Path logDir() {
        return root.resolve(LOG_DIR);
    }

    boolean isFormatted() {
        return Files.isDirectory(logDir());
    }

    /**
     * Formats a new log directory with {@code formatter} (given the side folder to write into) and publishes it with
     * an atomic rename. Call only when {@link #isFormatted()} is false.
     */
    void format(Consumer<Path> formatter) {
        Path staging = root.resolve(FORMATTING_DIR);
        try {
            deleteRecursively(staging);
            foreignKafkaDirectoryCheck();
            formatter.accept(staging);
            Files.move(staging, logDir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("format() called on a formatted directory " + logDir(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot format the Kafka data directory " + root, e);
        }
    }

    /** A directory that a standalone Kafka used directly (its meta.properties at the top) is not adopted silently. */
    private void foreignKafkaDirectoryCheck() {
        if (Files.exists(root.resolve(META_PROPERTIES))) {
            throw corrupt(root + " holds a meta.properties of its own: it looks like another Kafka's log directory, not"
                    + " one written by Rollcall. Point Rollcall at an empty or new directory.");
        }
    }

    /**
     * Checks that {@code log/} is what a completed format left (a readable meta.properties for node {@code nodeId})
     * and returns its cluster id.
     */
    String clusterId(int nodeId) {
        Path meta = logDir().resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            throw corrupt(logDir() + " has no " + META_PROPERTIES + ", so it was not written by a completed first start"
                    + " (or was damaged).");
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(meta + " cannot be read (" + e.getMessage() + ").");
        }
        String clusterId = props.getProperty("cluster.id", "").strip();
        String node = props.getProperty("node.id", "").strip();
        if (clusterId.isEmpty() || !node.equals(Integer.toString(nodeId))) {
            throw corrupt(meta + " is not the embedded broker's (cluster.id='" + clusterId + "', node.id='" + node
                    + "', expected node.id=" + nodeId + ").");
        }
        return clusterId;
    }

    BrokerStartException corrupt(String what) {
        return new BrokerStartException(Reason.DATA_DIR_CORRUPT, "The Kafka data directory " + root + " is unusable: "
                + what + " If it holds nothing you need (the queued requests and replies of a stopped Rollcall), stop"
                + " Rollcall, move it aside or delete it, and start again: a new, empty broker directory is created."
                + " Otherwise restore it from a backup.");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it as well.
        } finally {
            closeQuietly(channel);
            HELD_IN_THIS_PROCESS.remove(root);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
