package io.rollcall.worker;

import io.rollcall.attendance.AttendanceSettings;
import io.rollcall.backup.BackupKey;
import io.rollcall.bulk.BulkImportSettings;
import io.rollcall.config.EnvSettings;
import io.rollcall.config.Variables;
import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.detect.DetectorSettings;
import io.rollcall.engine.image.ImageLimits;
import io.rollcall.engine.model.ModelPack;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.enroll.EnrollmentSettings;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaSettings;
import io.rollcall.messaging.Topics;
import io.rollcall.recognize.OpenSetDecision;
import io.rollcall.recognize.RecognitionSettings;
import io.rollcall.storage.StoreSettings;
import io.rollcall.transport.TransportSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Everything a worker, and the commands that run its parts ({@code eval}, {@code embed}, {@code reembed}, ...), are
 * configured with: the one binding of the worker's environment variables to typed settings, read once at start.
 *
 * @param workerId                {@code WORKER_ID}: names the worker in replies and logs
 * @param port                    {@code WORKER_PORT}: health and metrics of {@code ./rollcall worker}
 * @param similarityThreshold     {@code SIMILARITY_THRESHOLD}, or null for the pack's recommended threshold
 *                                ({@link #recognition})
 * @param sampleMatchThreshold    {@code SAMPLE_MATCH_THRESHOLD}, or null for the pack's ({@link #enrollment})
 * @param strangerRate            {@code OPEN_SET_FALSE_ACCEPT_RATE}: the share of strangers the open-set decision may
 *                                accept as someone
 * @param impostorTail            {@code OPEN_SET_IMPOSTOR_TAIL} ({@code score_at_far,far,scale} from
 *                                {@code ./rollcall calibrate}), or null for the pack's
 * @param bulkImportDir           {@code BULK_IMPORT_DIR}, default {@code ${DATA_DIR}/import}
 * @param dataDir                 {@code DATA_DIR}: where the embedded defaults live (database, import folder, broker)
 * @param kafkaSettings           the cluster ({@code KAFKA_BOOTSTRAP_SERVERS}, or the in-process broker's; none where
 *                                none is needed), topic prefix and replication, and the clients' own properties
 * @param galleryReconcile        {@code GALLERY_RECONCILE_SECONDS}: how often the gallery is compared with the
 *                                database; zero turns the comparison off
 * @param shadowSampleRate        {@code SHADOW_SAMPLE_RATE}: the share of recognitions a shadow candidate also runs
 * @param galleryDir              {@code GALLERY_DIR}, default {@code ${DATA_DIR}/gallery}: the gallery's exact-row file
 *                                and its snapshot
 * @param gallerySnapshot         {@code GALLERY_SNAPSHOT}: whether the worker starts from the gallery's snapshot when it
 *                                agrees with the database, and keeps it
 */
public record WorkerConfig(String workerId, int port, ModelSettings models, EngineSettings engine, ImageLimits images,
                           StoreSettings store, Double similarityThreshold, double strangerRate,
                           ModelPack.ImpostorTail impostorTail, double duplicateThreshold,
                           int maxSamplesPerPerson, Double sampleMatchThreshold, AttendanceSettings attendance, Path bulkImportDir, Path dataDir,
                           KafkaSettings kafkaSettings, Duration galleryReconcile, double shadowSampleRate,
                           Path galleryDir, boolean gallerySnapshot) {

    /**
     * @param bootstrapFallback the in-process broker's address, used when {@code KAFKA_BOOTSTRAP_SERVERS} is unset;
     *                          null when there is none
     */
    public static WorkerConfig from(Map<String, String> environment, String bootstrapFallback) {
        EnvSettings env = new EnvSettings(environment);
        Path dataDir = Path.of(env.string(Variables.DATA_DIR)).toAbsolutePath().normalize();
        int threads = (int) env.integer(Variables.INFERENCE_THREADS);
        DetectorSettings detector = new DetectorSettings(sizes(env.list(Variables.DETECTION_SIZES)),
                (float) env.decimal(Variables.DETECTION_THRESHOLD), DetectorSettings.DEFAULT.nmsThreshold());
        String bulkDir = env.string(Variables.BULK_IMPORT_DIR);
        Double similarityThreshold = env.string(Variables.SIMILARITY_THRESHOLD) == null ? null : env.decimal(Variables.SIMILARITY_THRESHOLD);
        double floor = env.decimal(Variables.MIN_SIMILARITY_THRESHOLD);
        if (similarityThreshold != null && similarityThreshold < floor) {
            // The floor the ingress holds requests to holds for the configured default too.
            throw new IllegalArgumentException("SIMILARITY_THRESHOLD must be at least MIN_SIMILARITY_THRESHOLD (" + floor
                    + "): lower thresholds match strangers to enrolled people, got " + similarityThreshold);
        }
        return new WorkerConfig(
                env.string(Variables.WORKER_ID, ManagementFactory.getRuntimeMXBean().getName()),
                (int) env.integer(Variables.WORKER_PORT),
                new ModelSettings(Path.of(env.string(Variables.MODELS_DIR)), env.string(Variables.INSIGHTFACE_MODEL),
                        env.flag(Variables.AUTO_DOWNLOAD_MODELS)),
                new EngineSettings(detector, threads,
                        (int) env.integer(Variables.INFERENCE_CONCURRENCY, EngineSettings.defaultConcurrency(threads)),
                        env.flag(Variables.ENABLE_FACE_QUALITY_CHECK)),
                new ImageLimits(Topics.maxImageBytes(env), env.integer(Variables.MAX_IMAGE_PIXELS), ImageLimits.DEFAULT_MAX_SIDE),
                new StoreSettings(env.string(Variables.DATABASE_URL, StoreSettings.defaultJdbcUrl(dataDir)),
                        env.string(Variables.DATABASE_USER), env.raw(Variables.DATABASE_PASSWORD),
                        (int) StoreSettings.checkPoolSize(env.integer(Variables.DATABASE_POOL_SIZE))),
                similarityThreshold,
                env.decimal(Variables.OPEN_SET_FALSE_ACCEPT_RATE),
                impostorTail(env.list(Variables.OPEN_SET_IMPOSTOR_TAIL)),
                env.decimal(Variables.DUPLICATE_THRESHOLD),
                (int) env.integer(Variables.MAX_SAMPLES_PER_PERSON),
                env.string(Variables.SAMPLE_MATCH_THRESHOLD) == null ? null : env.decimal(Variables.SAMPLE_MATCH_THRESHOLD),
                AttendanceSettings.ofMinutes(env.integer(Variables.ATTENDANCE_GRACE_MINUTES),
                        env.zone(Variables.SCHOOL_TIMEZONE, ZoneId.systemDefault())),
                (bulkDir != null ? Path.of(bulkDir) : dataDir.resolve("import")).toAbsolutePath().normalize(),
                dataDir,
                KafkaSettings.fromEnvironment(environment, bootstrapFallback),
                Duration.ofSeconds(env.integer(Variables.GALLERY_RECONCILE_SECONDS)),
                env.decimal(Variables.SHADOW_SAMPLE_RATE),
                (env.string(Variables.GALLERY_DIR) != null ? Path.of(env.string(Variables.GALLERY_DIR)) : dataDir.resolve("gallery"))
                        .toAbsolutePath().normalize(),
                env.flag(Variables.GALLERY_SNAPSHOT));
    }

    public WorkerConfig {
        if (!(shadowSampleRate >= 0 && shadowSampleRate <= 1)) {
            throw new IllegalArgumentException("SHADOW_SAMPLE_RATE must be in [0, 1], got " + shadowSampleRate);
        }
        if (galleryReconcile.isNegative()) {
            throw new IllegalArgumentException("GALLERY_RECONCILE_SECONDS must be 0 (off) or positive, got " + galleryReconcile.toSeconds());
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("WORKER_PORT must be 0..65535, got " + port);
        }
        // Checked now, at start, with any pack's numbers standing in for what the configuration leaves to the pack.
        if (similarityThreshold != null) {
            new OpenSetDecision.Fixed(similarityThreshold);
        }
        if (!(strangerRate > 0 && strangerRate < 1)) {
            throw new IllegalArgumentException("OPEN_SET_FALSE_ACCEPT_RATE must be in (0, 1), got " + strangerRate);
        }
        new EnrollmentSettings(duplicateThreshold, maxSamplesPerPerson, sampleMatchThreshold != null ? sampleMatchThreshold : 0);
    }

    /**
     * The recognition decision: {@code SIMILARITY_THRESHOLD} when set; else the gallery-size rule on the pack's
     * impostor tail ({@code OPEN_SET_IMPOSTOR_TAIL} replaces it with a school's own); else, for a pack without one,
     * its {@code recommended_threshold}.
     */
    public RecognitionSettings recognition(ModelPack pack) {
        if (similarityThreshold != null) {
            return new RecognitionSettings(new OpenSetDecision.Fixed(similarityThreshold));
        }
        ModelPack.ImpostorTail tail = impostorTail != null ? impostorTail : pack.impostorTail();
        return new RecognitionSettings(tail == null ? new OpenSetDecision.Fixed(pack.recommendedThreshold())
                : new OpenSetDecision.GallerySize(tail, strangerRate));
    }

    /** The enrollment rules with {@code pack}'s sample-match threshold where none is configured. */
    public EnrollmentSettings enrollment(ModelPack pack) {
        return new EnrollmentSettings(duplicateThreshold, maxSamplesPerPerson,
                sampleMatchThreshold != null ? sampleMatchThreshold : pack.sampleMatchThreshold());
    }

    public BulkImportSettings bulkImport() {
        return new BulkImportSettings(bulkImportDir, images.maxBytes(), workerId);
    }

    public TransportSettings transport() {
        return new TransportSettings(workerId, TransportSettings.listenersFor(engine.concurrentInferences()), attendance.schoolZone());
    }

    /** @throws IllegalArgumentException when no Kafka cluster is configured */
    public KafkaClients kafka() {
        return kafkaSettings.clients();
    }

    /** {@code KAFKA_BOOTSTRAP_SERVERS}, or the in-process broker's; null where none is needed. */
    public String kafkaBootstrapServers() {
        return kafkaSettings.bootstrapServers();
    }

    /**
     * {@code BACKUP_KEY}, the passphrase of {@code ./rollcall backup} and {@code restore}, read only by the commands
     * that need it (a worker never does), exactly as set: a passphrase may end in a space.
     *
     * @throws io.rollcall.error.RollcallException BACKUP_KEY_MISSING when unset or too short
     */
    public static BackupKey backupKey(Map<String, String> environment) {
        return BackupKey.of(new EnvSettings(environment).raw(Variables.BACKUP_KEY));
    }

    public Topics topics() {
        return kafkaSettings.topics();
    }

    private static ModelPack.ImpostorTail impostorTail(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        try {
            if (values.size() != 3) {
                throw new IllegalArgumentException("three numbers are needed");
            }
            return new ModelPack.ImpostorTail(Double.parseDouble(values.get(0)), Double.parseDouble(values.get(1)),
                    Double.parseDouble(values.get(2)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OPEN_SET_IMPOSTOR_TAIL must be score_at_far,far,scale as ./rollcall calibrate"
                    + " prints it, e.g. 0.3435,0.001,0.0343: " + e.getMessage());
        }
    }

    private static List<Integer> sizes(List<String> values) {
        return values.stream().map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("DETECTION_SIZES must be comma-separated integers, got '" + v + "'");
            }
        }).toList();
    }
}
