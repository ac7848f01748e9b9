/**
 * Taking over from the school's running system, the HTTP side: the migration and rollback jobs of
 * {@code /api/admin/migration}, queued through {@link io.rollcall.ingress.bulk.BulkJobs} (the job machinery bulk
 * imports use) and followed on its job board; the missing-people CSV. The work is the workers'
 * ({@code io.rollcall.migrate}).
 */
package io.rollcall.ingress.migration;
