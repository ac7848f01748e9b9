-- Rollcall's own record of the migration from the old system (./rollcall migrate, POST /api/admin/migration): one
-- row per run, one per FaceData row a run created (written in the insert's own transaction), one per person a run
-- finished. New tables only: the school's tables and the old system's rows are never altered. No foreign key points
-- at a school table, so nothing here can stand in the way of the Node.js system deleting or truncating its rows.
-- Codes are stored stripped of the nchar(10) padding, as PersonRef holds them.

CREATE TABLE IF NOT EXISTS RollcallMigrationBatches (
    BatchId      VARCHAR(36) NOT NULL PRIMARY KEY,
    ModelPack    VARCHAR(64) NOT NULL,
    Selection    CLOB,
    StartedAt    TIMESTAMP NOT NULL,
    FinishedAt   TIMESTAMP,
    RolledBackAt TIMESTAMP,
    Report       CLOB
);

CREATE TABLE IF NOT EXISTS RollcallMigratedSamples (
    FaceDataId  BIGINT NOT NULL PRIMARY KEY,
    BatchId     VARCHAR(36) NOT NULL,
    PersonType  VARCHAR(20) NOT NULL,
    PersonCode  VARCHAR(10) NOT NULL,
    SourceTable VARCHAR(20) NOT NULL,
    SourceId    BIGINT NOT NULL,
    MigratedAt  TIMESTAMP NOT NULL
);

CREATE INDEX IF NOT EXISTS IX_RollcallMigratedSamples_Batch ON RollcallMigratedSamples (BatchId);

CREATE INDEX IF NOT EXISTS IX_RollcallMigratedSamples_Person ON RollcallMigratedSamples (PersonType, PersonCode);

CREATE TABLE IF NOT EXISTS RollcallMigratedPersons (
    BatchId     VARCHAR(36) NOT NULL,
    PersonType  VARCHAR(20) NOT NULL,
    PersonCode  VARCHAR(10) NOT NULL,
    Samples     INT NOT NULL,
    CompletedAt TIMESTAMP NOT NULL,
    PRIMARY KEY (BatchId, PersonType, PersonCode)
);

CREATE INDEX IF NOT EXISTS IX_RollcallMigratedPersons_Person ON RollcallMigratedPersons (PersonType, PersonCode);
