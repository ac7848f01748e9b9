/**
 * Taking over from the school's running system: enrolling, with the configured pack, everyone the old system knows
 * (its {@code FaceData} rows' photos and the {@code Student}/{@code Teacher} portraits), gradually, resumably and
 * reversibly, with a report that validates the result on the school's own photos.
 *
 * <p>Entry point: {@link io.rollcall.migrate.Migration}, run by a worker as a job ({@code io.rollcall.bulk}) or in
 * process by {@code ./rollcall migrate --local}. Every photo goes through {@code FaceEnrollment}, the one enrollment
 * rule set; the SQL is {@link io.rollcall.storage.MigrationRepository}'s. Old rows are never modified or deleted.
 */
package io.rollcall.migrate;
