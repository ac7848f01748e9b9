/**
 * CSV bulk import, the worker's side: a consumer of {@code rollcall.bulk.jobs} that runs each job item by item
 * through the same {@link io.rollcall.service.FaceEnrollment} as {@code POST /api/face/enroll}, reading every photo
 * from the import folder ({@code BULK_IMPORT_DIR}) and publishing the job's progress on
 * {@code rollcall.bulk.progress}. The HTTP side (CSV parsing and validation, job status) is the ingress's
 * {@code io.rollcall.ingress.bulk}.
 */
package io.rollcall.bulk;
