/**
 * The worker's jobs, each a Kafka message run by one worker with its progress on {@code rollcall.bulk.progress}:
 * CSV bulk imports ({@code rollcall.bulk.jobs}, item by item through the same
 * {@link io.rollcall.enroll.FaceEnrollment} as {@code POST /api/face/enroll}, every photo read from the import folder
 * {@code BULK_IMPORT_DIR}) and migrations from the old system ({@code rollcall.migration.jobs}, through
 * {@link io.rollcall.migrate.Migration}). One {@link io.rollcall.bulk.JobConsumer} per topic keeps a long job's
 * partition paused and commits it only once the job has ended. The HTTP side (CSV parsing and validation, job status)
 * is the ingress's {@code io.rollcall.ingress.bulk} and {@code io.rollcall.ingress.migration}.
 */
package io.rollcall.bulk;
