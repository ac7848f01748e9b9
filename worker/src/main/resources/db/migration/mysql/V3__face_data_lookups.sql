-- Additive only. ImageSha256: the SHA-256 (hex) of ImageData for rows Rollcall writes, for duplicate-photo checks
-- without reading images; NULL on rows written by others. The index serves every per-person query.
-- Conditional DDL through information_schema, as in V2 (MySQL 8 has no IF NOT EXISTS for these).

SET @rollcall_ddl = IF(
    (SELECT COUNT(*) FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'FaceData' AND COLUMN_NAME = 'ImageSha256') = 0,
    'ALTER TABLE FaceData ADD COLUMN ImageSha256 CHAR(64) NULL',
    'DO 0');
PREPARE rollcall_step FROM @rollcall_ddl;
EXECUTE rollcall_step;
DEALLOCATE PREPARE rollcall_step;

SET @rollcall_ddl = IF(
    (SELECT COUNT(*) FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'FaceData' AND INDEX_NAME = 'IX_FaceData_Person') = 0,
    'CREATE INDEX IX_FaceData_Person ON FaceData (PersonType, PersonCode)',
    'DO 0');
PREPARE rollcall_step FROM @rollcall_ddl;
EXECUTE rollcall_step;
DEALLOCATE PREPARE rollcall_step;
