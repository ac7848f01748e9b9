/**
 * The worker's database layer over the school's existing database (MySQL/MariaDB or SQL Server) or an embedded
 * H2 file: Flyway migrations that only add what is missing, and repositories built on plain JDBC.
 *
 * <p>Entry points: {@link io.rollcall.storage.Database#open} (pool + migrations from
 * {@link io.rollcall.storage.StoreSettings}), or any {@link javax.sql.DataSource} handed to the repositories —
 * {@link io.rollcall.storage.PersonRepository}, {@link io.rollcall.storage.FaceRepository},
 * {@link io.rollcall.storage.GalleryRepository}, {@link io.rollcall.storage.RecognitionLogRepository},
 * {@link io.rollcall.storage.DescriptorRepository} (moving samples to another pack).
 * {@link io.rollcall.storage.DatabaseAccess} is the single place that opens transactions and turns JDBC failures
 * into {@code DATABASE_ERROR}; {@link io.rollcall.storage.DescriptorCodec} owns the {@code FaceDescriptor} format.
 * Nothing here logs an image or an embedding. Design notes: {@code docs/storage.md}.
 */
package io.rollcall.storage;
