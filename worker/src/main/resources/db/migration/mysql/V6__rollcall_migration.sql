-- Rollcall's own record of the migration from the old system (./rollcall migrate, POST /api/admin/migration): one
-- row per run, one per FaceData row a run created (written in the insert's own transaction), one per person a run
-- finished. New tables only: the school's tables and the old system's rows are never altered. No foreign key points
-- at a school table, so nothing here can stand in the way of the Node.js system deleting or truncating its rows.
-- Codes are stored stripped of the nchar(10) padding, as PersonRef holds them. The tables are new, so their
-- indexes are created with them (no information_schema guard needed, unlike V2 and V3).

CREATE TABLE IF NOT EXISTS RollcallMigrationBatches (
    BatchId      VARCHAR(36) NOT NULL PRIMARY KEY,
    ModelPack    VARCHAR(64) NOT NULL,
    Selection    LONGTEXT NULL,
    StartedAt    DATETIME NOT NULL,
    FinishedAt   DATETIME NULL,
    RolledBackAt DATETIME NULL,
    Report       LONGTEXT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS RollcallMigratedSamples (
    FaceDataId  BIGINT NOT NULL PRIMARY KEY,
    BatchId     VARCHAR(36) NOT NULL,
    PersonType  VARCHAR(20) NOT NULL,
    PersonCode  VARCHAR(10) NOT NULL,
    SourceTable VARCHAR(20) NOT NULL,
    SourceId    BIGINT NOT NULL,
    MigratedAt  DATETIME NOT NULL,
    INDEX IX_RollcallMigratedSamples_Batch (BatchId),
    INDEX IX_RollcallMigratedSamples_Person (PersonType, PersonCode)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS RollcallMigratedPersons (
    BatchId     VARCHAR(36) NOT NULL,
    PersonType  VARCHAR(20) NOT NULL,
    PersonCode  VARCHAR(10) NOT NULL,
    Samples     INT NOT NULL,
    CompletedAt DATETIME NOT NULL,
    PRIMARY KEY (BatchId, PersonType, PersonCode),
    INDEX IX_RollcallMigratedPersons_Person (PersonType, PersonCode)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
