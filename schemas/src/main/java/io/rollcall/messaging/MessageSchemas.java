package io.rollcall.messaging;

import io.rollcall.schemas.BulkEnrollJob;
import io.rollcall.schemas.BulkJobProgress;
import io.rollcall.schemas.FaceReply;
import io.rollcall.schemas.FaceRequest;
import io.rollcall.schemas.GalleryChange;
import io.rollcall.schemas.MigrationJob;
import io.rollcall.schemas.PackChange;
import io.rollcall.schemas.RecognitionLogEvent;
import io.rollcall.schemas.WorkerHeartbeat;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;

/**
 * The messages written whole to Rollcall's topics, and every released version of their schemas.
 *
 * <p>Released versions are kept as resources {@code io/rollcall/schemas/history/<Name>-v<N>.avsc}, numbered from 1
 * without gaps, each a self-contained copy of the generated class's schema at release. The current schema is the
 * newest copy, or the one before it when the next version is announced (known to readers before any producer writes
 * it); {@code SchemaEvolutionTest} enforces that and the compatibility rules of {@code schemas/README.md}.
 */
public final class MessageSchemas {
    /** Where the history copies live on the class path. */
    public static final String HISTORY_FOLDER = "io/rollcall/schemas/history/";

    /** Top-level messages; records nested in them (commands, results, Match, ...) travel inside these. */
    private static final List<Schema> CURRENT = List.of(
            FaceRequest.getClassSchema(),
            FaceReply.getClassSchema(),
            GalleryChange.getClassSchema(),
            PackChange.getClassSchema(),
            RecognitionLogEvent.getClassSchema(),
            BulkEnrollJob.getClassSchema(),
            BulkJobProgress.getClassSchema(),
            MigrationJob.getClassSchema(),
            WorkerHeartbeat.getClassSchema());

    /** Loaded history by message full name. */
    private static final Map<String, List<Schema>> HISTORY = new ConcurrentHashMap<>();

    private MessageSchemas() {
    }

    /** The current schema of every top-level message. */
    public static List<Schema> current() {
        return CURRENT;
    }

    /**
     * Every released version of a message's schema, oldest first ({@code v1} at index 0).
     *
     * @return an immutable list, empty when no history copy exists for this record
     * @throws IllegalStateException when a history copy cannot be parsed or describes another record
     */
    public static List<Schema> history(Schema current) {
        return HISTORY.computeIfAbsent(current.getFullName(), name -> loadHistory(current));
    }

    /**
     * Lets Avro instantiate the generated classes of every message. Serdes do this for their own message; call it
     * before using the generated {@code getDecoder()} / {@code fromByteBuffer} directly (tools, tests).
     */
    public static void trustMessageClasses() {
        CURRENT.forEach(TrustedMessageClasses::trust);
    }

    /** The class-path resource holding version {@code version} of a message's schema. */
    public static String historyResource(Schema message, int version) {
        return HISTORY_FOLDER + message.getName() + "-v" + version + ".avsc";
    }

    /** The fingerprint single-object encoding puts in a message header: CRC-64-AVRO of the parsing canonical form. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * Names the message version a fingerprint belongs to, for error reports.
     *
     * @return e.g. {@code "io.rollcall.schemas.FaceReply v1"}, or empty when no version of any message has it
     */
    public static Optional<String> describeFingerprint(long fingerprint) {
        for (Schema current : CURRENT) {
            List<Schema> versions = history(current);
            for (int i = versions.size() - 1; i >= 0; i--) {
                if (fingerprint(versions.get(i)) == fingerprint) {
                    return Optional.of(current.getFullName() + " v" + (i + 1));
                }
            }
            if (fingerprint(current) == fingerprint) {
                return Optional.of(current.getFullName() + " (current, not yet in history)");
            }
        }
        return Optional.empty();
    }

    private static List<Schema> loadHistory(Schema current) {
        ClassLoader loader = MessageSchemas.class.getClassLoader();
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = historyResource(current, version);
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return List.copyOf(versions);
                }
                // One parser per file: every copy is self-contained and redefines the same names.
                Schema schema = new SchemaParser().parse(in).mainSchema();
                if (!schema.getFullName().equals(current.getFullName())) {
                    throw new IllegalStateException(resource + " describes " + schema.getFullName()
                            + ", expected " + current.getFullName());
                }
                versions.add(schema);
            } catch (IOException | SchemaParseException e) {
                throw new IllegalStateException("cannot read schema history " + resource + ": " + e.getMessage(), e);
            }
        }
    }
}
