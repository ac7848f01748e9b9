package io.rollcall.broker;

import io.rollcall.broker.BrokerStartException.Reason;
import io.rollcall.messaging.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka, KRaft mode with broker and controller combined, running inside this JVM: the queue of the
 * one-process start ({@code ./rollcall} with no arguments). It listens on 127.0.0.1 only and keeps its data under one
 * directory, so topics, queued messages and consumer offsets survive a restart of the process.
 * <p>
 * The first start formats the directory (a new cluster id, written once into {@code meta.properties} by Kafka's
 * {@link Formatter}); later starts reuse it. Starting is Kafka's own {@link KafkaRaftServer}, the class behind
 * {@code kafka-server-start.sh} in KRaft mode, whose {@code startup()} returns once the broker is unfenced and its
 * listener accepts connections. Production runs against a real cluster instead (KAFKA_BOOTSTRAP_SERVERS).
 * <p>
 * Retention: the service's topics set their own {@code retention.ms} and {@code segment.ms} ({@link Topics#specs()}:
 * an hour for door photos); the broker's 7 days and daily segments apply only to topics created without them. The
 * broker looks for segments past their retention every {@link #RETENTION_CHECK} rather than Kafka's 5 minutes, so
 * the photo bound holds here as written. Consumer offsets are kept
 * 30 days, longer than any message they point at, so a worker group idle over a holiday resumes where it stopped
 * instead of re-reading from the start.
 * <p>
 * Failures: a start that cannot proceed throws {@link BrokerStartException} and leaves the process running; a fatal
 * fault of the running broker (its disk failing) ends the process, as it ends a standalone Kafka, for the supervisor
 * to restart. After a crash the next start takes ~3 s longer: the controller waits out the dead broker's session.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);

    static final int NODE_ID = 1;
    static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** SASL user names and passwords go into a JAAS line between quotes. */
    private static final Pattern PLAIN_CREDENTIAL = Pattern.compile("[A-Za-z0-9_.-]+");
    /** Attempts when a port we picked ourselves is taken between picking and binding it. */
    private static final int START_ATTEMPTS = 3;
    /**
     * How often the broker deletes segments past their retention ({@code log.retention.check.interval.ms}; Kafka's
     * default is 5 minutes). A check lists the segments of every partition, about 60 here: cheap every 30 s.
     */
    static final Duration RETENTION_CHECK = Duration.ofSeconds(30);
    /** Recovering a large log after a crash takes a while; far beyond this, startup is stuck. */
    private static final Duration MAX_STARTUP = Duration.ofMinutes(2);

    private final BrokerDataDir dataDir;
    private final KafkaRaftServer server;
    private final int port;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Who may use the client listener: anyone who reaches loopback ({@code ./rollcall}), or only SASL/PLAIN users,
     * as on a secured cluster (tests of the clients' {@code KAFKA_CLIENT_*} security settings).
     *
     * @param plainUsers user name → password; empty for an open {@code PLAINTEXT} listener
     */
    record ClientAuth(Map<String, String> plainUsers) {
        static final ClientAuth NONE = new ClientAuth(Map.of());

        ClientAuth {
            plainUsers = Map.copyOf(plainUsers);
            plainUsers.forEach((user, password) -> {
                if (!PLAIN_CREDENTIAL.matcher(user).matches() || !PLAIN_CREDENTIAL.matcher(password).matches()) {
                    throw new IllegalArgumentException("SASL/PLAIN users and passwords here are letters, digits, '_', '.' and '-'");
                }
            });
        }

        /** Kafka's convention: the listener is named after its security protocol. */
        String listener() {
            return plainUsers.isEmpty() ? "PLAINTEXT" : "SASL_PLAINTEXT";
        }
    }

    private LocalKafkaBroker(BrokerDataDir dataDir, KafkaRaftServer server, int port, String clusterId) {
        this.dataDir = dataDir;
        this.server = server;
        this.port = port;
        this.clusterId = clusterId;
    }

    /**
     * Starts the broker on {@code 127.0.0.1:port} with its data in {@code dataDir} (created and formatted on the first
     * start). Returns once clients can connect.
     *
     * @param port the client port, or 0 for any free port (see {@link #port()})
     * @throws BrokerStartException naming the port or directory and what to do, when it cannot start
     */
    public static LocalKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, ClientAuth.NONE, LocalKafkaBroker::freePort);
    }

    /**
     * {@link #start(Path, int)}, but clients must authenticate with SASL/PLAIN as one of {@code users} (name →
     * password) on a {@code SASL_PLAINTEXT} listener, as on a secured cluster. For tests of the clients' security
     * settings: {@code ./rollcall} itself never needs it, its broker listens on loopback only.
     */
    public static LocalKafkaBroker startWithSaslPlain(Path dataDir, int port, Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a SASL/PLAIN broker needs at least one user");
        }
        return start(dataDir, port, new ClientAuth(users), LocalKafkaBroker::freePort);
    }

    /** {@link #start(Path, int)} with the choice of free ports (given one to avoid) open to tests. */
    static LocalKafkaBroker start(Path dataDir, int port, ClientAuth auth, IntUnaryOperator freePort) {
        return start(dataDir, port, auth, freePort, RETENTION_CHECK);
    }

    /**
     * {@link #start(Path, int)} checking retention every {@code retentionCheck} (also how long an expired segment's
     * file stays on disk), for tests that watch a record expire within seconds.
     */
    static LocalKafkaBroker startCheckingRetentionEvery(Path dataDir, Duration retentionCheck) {
        return start(dataDir, 0, ClientAuth.NONE, LocalKafkaBroker::freePort, retentionCheck);
    }

    private static LocalKafkaBroker start(Path dataDir, int port, ClientAuth auth, IntUnaryOperator freePort,
                                          Duration retentionCheck) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, got " + port);
        }
        synchronized (FatalFaults.class) {
            try (FatalFaults faults = FatalFaults.recorded()) {
                return startRecordingFaults(dataDir, port, auth, freePort, retentionCheck, faults);
            }
        }
    }

    private static LocalKafkaBroker startRecordingFaults(Path dataDir, int port, ClientAuth auth, IntUnaryOperator freePort,
                                                         Duration retentionCheck, FatalFaults faults) {
        long started = System.nanoTime();
        BrokerDataDir dir = BrokerDataDir.lock(dataDir);
        try {
            boolean fresh = !dir.isFormatted();
            if (fresh) {
                dir.format(LocalKafkaBroker::formatStorage);
            }
            String clusterId = dir.clusterId(NODE_ID);
            if (port != 0) {
                requireFree(port);
            }
            for (int attempt = 1; ; attempt++) {
                int clientPort = port != 0 ? port : freePort.applyAsInt(-1);
                int controllerPort = freePort.applyAsInt(clientPort);
                faults.clear();
                try {
                    KafkaRaftServer server = startServer(dir, brokerConfig(dir.logDir(), clientPort, controllerPort, auth, retentionCheck), faults);
                    log.info("Kafka broker ready on {}:{} in {} ms ({} data directory {}, cluster {}, Kafka {})",
                            HOST, clientPort, (System.nanoTime() - started) / 1_000_000, fresh ? "new" : "existing",
                            dir.root(), clusterId, AppInfoParser.getVersion());
                    return new LocalKafkaBroker(dir, server, clientPort, clusterId);
                } catch (BindFailure e) {
                    if (port != 0 && !isFree(port)) {
                        throw portInUse(port, e.getCause());
                    }
                    if (attempt == START_ATTEMPTS) {
                        throw new BrokerStartException(Reason.STARTUP_FAILED,
                                "Could not find free ports on " + HOST + " for the Kafka broker", e.getCause());
                    }
                    // Another program took a port we had picked before the broker bound it: pick again.
                    log.warn("Kafka broker could not bind its ports ({}); trying others", e.getCause().toString());
                }
            }
        } catch (RuntimeException | Error e) {
            dir.close();
            throw e;
        }
    }

    /** {@code host:port} for the clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The client port: the one asked for, or the one chosen when 0 was asked for. */
    public int port() {
        return port;
    }

    /** The data directory, absolute. */
    public Path dataDir() {
        return dataDir.root();
    }

    /** The cluster id, generated on the first start and the same on every later start from the same directory. */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Stops the broker cleanly (a controlled shutdown: logs flushed, clean-shutdown markers written, so the next start
     * skips log recovery) and releases the data directory. Close producers and consumers first. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        synchronized (FatalFaults.class) {
            try (FatalFaults faults = FatalFaults.recorded()) {
                stop(server);
                if (!faults.isEmpty()) {
                    log.warn("Kafka reported a fatal fault while stopping ({}); the next start recovers its logs", faults);
                }
            } finally {
                dataDir.close();
            }
        }
        log.info("Kafka broker stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static KafkaRaftServer startServer(BrokerDataDir dir, Map<String, String> settings, FatalFaults faults) {
        KafkaConfig config;
        try {
            config = new KafkaConfig(settings, false);
        } catch (LinkageError e) {
            throw mixedKafkaJars(e);
        }
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(config, Time.SYSTEM);
        } catch (LinkageError e) {
            throw mixedKafkaJars(e);
        } catch (RuntimeException e) {
            // The constructor reads and checks the log directory (meta.properties, directory ids).
            throw dir.corrupt("Kafka refused it: " + e.getMessage() + ".");
        }
        try {
            server.startup();
        } catch (RuntimeException | LinkageError e) {
            stop(server);
            if (causeOfType(e, BindException.class) != null) {
                throw new BindFailure(e);
            }
            if (e instanceof LinkageError linkage) {
                throw mixedKafkaJars(linkage);
            }
            throw new BrokerStartException(Reason.STARTUP_FAILED, "The Kafka broker on data directory " + dir.root()
                    + " failed to start: " + e.getMessage() + ". The broker's log lines above say more.", e);
        }
        if (!faults.isEmpty()) {
            stop(server);
            throw new BrokerStartException(Reason.STARTUP_FAILED, "The Kafka broker on data directory " + dir.root()
                    + " reported a fatal fault while starting (" + faults + "); the broker's log lines above say more.");
        }
        return server;
    }

    /**
     * The broker's settings. Sizes follow {@link Topics#MAX_MESSAGE_BYTES}; replication settings are those of
     * {@link Topics.Replication#SINGLE_BROKER} because there is one node; memory-hungry defaults sized for dedicated
     * brokers are cut down because this broker shares a ~1 GiB heap with the ingress and a worker.
     */
    static Map<String, String> brokerConfig(Path logDir, int clientPort, int controllerPort, ClientAuth auth,
                                            Duration retentionCheck) {
        String maxMessage = Integer.toString(Topics.MAX_MESSAGE_BYTES);
        String listener = auth.listener();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", Integer.toString(NODE_ID));
        c.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        c.put("listeners", listener + "://" + HOST + ":" + clientPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        c.put("advertised.listeners", listener + "://" + HOST + ":" + clientPort);
        c.put("listener.security.protocol.map", listener + ":" + listener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        c.put("controller.listener.names", CONTROLLER_LISTENER);
        c.put("inter.broker.listener.name", listener);
        if (!auth.plainUsers().isEmpty()) {
            // The broker authenticates to its own listener too, as a user of its own with a password made up now.
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String brokerPassword = HexFormat.of().formatHex(secret);
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
                    .append(" username=\"broker\" password=\"").append(brokerPassword).append('"')
                    .append(" user_broker=\"").append(brokerPassword).append('"');
            auth.plainUsers().forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
            c.put("sasl.enabled.mechanisms", "PLAIN");
            c.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            c.put("listener.name." + listener.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config", jaas.append(';').toString());
        }
        c.put("log.dirs", logDir.toString());
        c.put("metadata.log.dir", logDir.toString());
        c.put("server.max.startup.time.ms", Long.toString(MAX_STARTUP.toMillis()));
        // After a crash the controller refuses the restarted broker's registration (DUPLICATE_BROKER_REGISTRATION)
        // until the dead incarnation's session expires: 9 s by default, so 11 s to restart. Broker and controller
        // live and die together here, so a short session loses nothing; heartbeats stay 6x more frequent than it.
        c.put("broker.heartbeat.interval.ms", "500");
        c.put("broker.session.timeout.ms", "3000");

        c.put("message.max.bytes", maxMessage);
        c.put("replica.fetch.max.bytes", maxMessage);
        // One request holds at most one maximal record plus framing (producers cap it with max.request.size), and the
        // requests waiting for an I/O thread are bounded in bytes, not only in count: 500 x 21 MiB would not fit.
        c.put("socket.request.max.bytes", Integer.toString(2 * Topics.MAX_MESSAGE_BYTES));
        c.put("queued.max.request.bytes", Integer.toString(4 * Topics.MAX_MESSAGE_BYTES));
        // The OS's self-tuning socket buffers instead of Kafka's fixed 100 KiB: a 2 MB photo then crosses loopback in
        // a few writes, not twenty round trips between the broker's network thread and the client's (issue 12).
        c.put("socket.send.buffer.bytes", "-1");
        c.put("socket.receive.buffer.bytes", "-1");
        c.put("auto.create.topics.enable", "false");

        c.put("default.replication.factor", Short.toString(Topics.Replication.SINGLE_BROKER.factor()));
        c.put("min.insync.replicas", Integer.toString(Topics.Replication.SINGLE_BROKER.minInsyncReplicas()));
        c.put("offsets.topic.replication.factor", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        // Partitions of the internal topics spread coordinator load over brokers; one broker needs few. The default
        // of 50 makes the first consumer group wait while 50 partitions are created.
        c.put("offsets.topic.num.partitions", "1");
        c.put("transaction.state.log.num.partitions", "1");
        c.put("group.initial.rebalance.delay.ms", "0");

        c.put("log.retention.hours", "168");
        c.put("log.roll.hours", "24");
        c.put("log.retention.check.interval.ms", Long.toString(retentionCheck.toMillis()));
        c.put("log.initial.task.delay.ms", Long.toString(retentionCheck.toMillis())); // the first check (30 s by default)
        // Kafka renames an expired segment and removes its file this much later (a read may still be on it; 1 min
        // by default): the photo bytes leave the disk one check after they leave the log.
        c.put("log.segment.delete.delay.ms", Long.toString(retentionCheck.toMillis()));
        c.put("log.segment.bytes", Integer.toString(256 * 1024 * 1024));
        c.put("offsets.retention.minutes", Long.toString(Duration.ofDays(30).toMinutes()));
        // The log cleaner compacts only the small internal topics here; its default 128 MiB dedupe buffer is heap.
        c.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        return c;
    }

    private static void formatStorage(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printed)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (LinkageError e) {
            throw mixedKafkaJars(e);
        } catch (Exception e) {
            throw new BrokerStartException(Reason.STARTUP_FAILED, "Could not format the Kafka data directory " + dir
                    + ": " + e.getMessage(), e);
        }
        log.debug("Formatted {}: {}", dir, out.toString(StandardCharsets.UTF_8).strip());
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka broker did not shut down cleanly: {}", e.toString());
        }
    }

    private static void requireFree(int port) {
        if (!isFree(port)) {
            throw portInUse(port, null);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port on {@link #HOST} that nothing listens on now, other than {@code except}. */
    private static int freePort(int except) {
        try {
            while (true) {
                try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                    if (probe.getLocalPort() != except) {
                        return probe.getLocalPort();
                    }
                }
            }
        } catch (IOException e) {
            throw new BrokerStartException(Reason.STARTUP_FAILED, "Cannot open any port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    private static BrokerStartException portInUse(int port, Throwable cause) {
        return new BrokerStartException(Reason.PORT_IN_USE, "Port " + HOST + ":" + port + " for the in-process Kafka"
                + " broker is already in use (another Kafka, or another Rollcall?). Stop that program, or choose another"
                + " port for the broker.", cause);
    }

    private static BrokerStartException mixedKafkaJars(LinkageError e) {
        return new BrokerStartException(Reason.STARTUP_FAILED, "The Kafka broker classes do not match kafka-clients "
                + AppInfoParser.getVersion() + " (" + e + "): every org.apache.kafka jar on the classpath must have the"
                + " same version.", e);
    }

    private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Kafka's fatal-fault handlers end the JVM ({@code Exit.halt}), right for a standalone broker but not while this
     * one starts or stops: a port taken at the wrong moment would kill the whole service without a word. While
     * installed, {@link Exit} only records the request, Kafka's startup then fails with its own exception, and we
     * report it. Once running, Kafka's default stands: a fatal fault (its disk failing) ends the process, as a
     * standalone broker would, and the supervisor restarts Rollcall. {@link Exit} is JVM-wide, hence the lock.
     */
    private static final class FatalFaults implements AutoCloseable {
        private final List<String> requests = new CopyOnWriteArrayList<>();

        static FatalFaults recorded() {
            FatalFaults faults = new FatalFaults();
            Exit.Procedure record = (status, message) -> faults.requests.add(
                    "exit " + status + (message == null ? "" : ": " + message));
            Exit.setHaltProcedure(record);
            Exit.setExitProcedure(record);
            return faults;
        }

        void clear() {
            requests.clear();
        }

        boolean isEmpty() {
            return requests.isEmpty();
        }

        @Override
        public String toString() {
            return String.join("; ", requests);
        }

        @Override
        public void close() {
            Exit.resetHaltProcedure();
            Exit.resetExitProcedure();
        }
    }

    /** Kafka could not bind one of its ports; internal to {@link #start}, which retries or reports it. */
    private static final class BindFailure extends RuntimeException {
        BindFailure(Throwable cause) {
            super(cause);
        }
    }
}
