package io.rollcall.service;

import io.rollcall.config.EnvSettings;
import java.lang.management.ManagementFactory;
import java.time.ZoneId;
import java.util.Map;

/**
 * A worker's service settings, from the environment.
 *
 * @param workerId             {@code WORKER_ID}, default host name and process id; names the worker in replies and logs
 * @param similarityThreshold  {@code SIMILARITY_THRESHOLD}, default 0.6 (the requirements' value): cosine similarity
 *                             at which a face is recognised when the request names none
 * @param duplicateThreshold   {@code DUPLICATE_THRESHOLD}, default 0.75: an enrollment photo this similar to a
 *                             <em>different</em> enrolled person is refused as {@code DUPLICATE_ENROLLMENT}. Stricter
 *                             than recognition on purpose: only a near-certain match blocks an enrollment
 * @param maxSamplesPerPerson  {@code MAX_SAMPLES_PER_PERSON}, default 10 photos per person
 * @param schoolZone           {@code SCHOOL_TIMEZONE}, default the system zone: the clock of the school database's
 *                             DATETIME columns (session start times, attendance and log dates)
 */
public record WorkerSettings(String workerId, double similarityThreshold, double duplicateThreshold,
                             int maxSamplesPerPerson, ZoneId schoolZone) {

    public static WorkerSettings from(Map<String, String> environment) {
        EnvSettings env = new EnvSettings(environment);
        return new WorkerSettings(
                env.string("WORKER_ID", ManagementFactory.getRuntimeMXBean().getName()),
                env.decimal("SIMILARITY_THRESHOLD", 0.6),
                env.decimal("DUPLICATE_THRESHOLD", 0.75),
                (int) env.integer("MAX_SAMPLES_PER_PERSON", 10),
                ZoneId.of(env.string("SCHOOL_TIMEZONE", ZoneId.systemDefault().getId())));
    }

    public WorkerSettings {
        if (!(similarityThreshold > 0 && similarityThreshold <= 1)) {
            throw new IllegalArgumentException("SIMILARITY_THRESHOLD must be in (0, 1], got " + similarityThreshold);
        }
        if (!(duplicateThreshold > 0 && duplicateThreshold <= 1)) {
            throw new IllegalArgumentException("DUPLICATE_THRESHOLD must be in (0, 1], got " + duplicateThreshold);
        }
        if (maxSamplesPerPerson < 1) {
            throw new IllegalArgumentException("MAX_SAMPLES_PER_PERSON must be at least 1");
        }
    }
}
