-- Recognition logs (service-spec.md) plus EventId: the topic's event id, unique so that a redelivered event is
-- written once. An older service may have created the table without EventId: the column is then added, and its
-- old rows keep EventId NULL (a unique index allows any number of NULLs).
-- MySQL 8 has no ADD COLUMN IF NOT EXISTS / CREATE INDEX IF NOT EXISTS (MariaDB has), so each additive step
-- asks information_schema and runs either the DDL or a no-op through a prepared statement.

CREATE TABLE IF NOT EXISTS FaceRecognitionLogs (
    Id               INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    PersonCode       CHAR(10),
    PersonType       VARCHAR(20),
    Confidence       DECIMAL(5, 4),
    ProcessingTimeMs INT,
    SourceImageName  VARCHAR(255),
    RecognitionDate  DATETIME DEFAULT CURRENT_TIMESTAMP,
    Success          BOOLEAN,
    EventId          VARCHAR(36) NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

SET @rollcall_ddl = IF(
    (SELECT COUNT(*) FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'FaceRecognitionLogs' AND COLUMN_NAME = 'EventId') = 0,
    'ALTER TABLE FaceRecognitionLogs ADD COLUMN EventId VARCHAR(36) NULL',
    'DO 0');
PREPARE rollcall_step FROM @rollcall_ddl;
EXECUTE rollcall_step;
DEALLOCATE PREPARE rollcall_step;

SET @rollcall_ddl = IF(
    (SELECT COUNT(*) FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'FaceRecognitionLogs'
        AND INDEX_NAME = 'UX_FaceRecognitionLogs_EventId') = 0,
    'CREATE UNIQUE INDEX UX_FaceRecognitionLogs_EventId ON FaceRecognitionLogs (EventId)',
    'DO 0');
PREPARE rollcall_step FROM @rollcall_ddl;
EXECUTE rollcall_step;
DEALLOCATE PREPARE rollcall_step;
