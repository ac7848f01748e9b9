-- Rollcall's own record of the migration from the old system (./rollcall migrate, POST /api/admin/migration): one
-- row per run, one per FaceData row a run created (written in the insert's own transaction), one per person a run
-- finished. New tables only: the school's tables and the old system's rows are never altered. No foreign key points
-- at a school table, so nothing here can stand in the way of the Node.js system deleting or truncating its rows.
-- Codes are stored stripped of the nchar(10) padding, as PersonRef holds them. Each guarded statement is its own
-- batch (GO), as in V1.

IF OBJECT_ID(N'RollcallMigrationBatches', N'U') IS NULL
CREATE TABLE RollcallMigrationBatches (
    BatchId      VARCHAR(36) NOT NULL PRIMARY KEY,
    ModelPack    VARCHAR(64) NOT NULL,
    Selection    NVARCHAR(MAX) NULL,
    StartedAt    DATETIME2 NOT NULL,
    FinishedAt   DATETIME2 NULL,
    RolledBackAt DATETIME2 NULL,
    Report       NVARCHAR(MAX) NULL
);
GO

IF OBJECT_ID(N'RollcallMigratedSamples', N'U') IS NULL
CREATE TABLE RollcallMigratedSamples (
    FaceDataId  BIGINT NOT NULL PRIMARY KEY,
    BatchId     VARCHAR(36) NOT NULL,
    PersonType  VARCHAR(20) NOT NULL,
    PersonCode  NVARCHAR(10) NOT NULL,
    SourceTable VARCHAR(20) NOT NULL,
    SourceId    BIGINT NOT NULL,
    MigratedAt  DATETIME2 NOT NULL
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_RollcallMigratedSamples_Batch' AND object_id = OBJECT_ID(N'RollcallMigratedSamples'))
CREATE INDEX IX_RollcallMigratedSamples_Batch ON RollcallMigratedSamples (BatchId);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_RollcallMigratedSamples_Person' AND object_id = OBJECT_ID(N'RollcallMigratedSamples'))
CREATE INDEX IX_RollcallMigratedSamples_Person ON RollcallMigratedSamples (PersonType, PersonCode);
GO

IF OBJECT_ID(N'RollcallMigratedPersons', N'U') IS NULL
CREATE TABLE RollcallMigratedPersons (
    BatchId     VARCHAR(36) NOT NULL,
    PersonType  VARCHAR(20) NOT NULL,
    PersonCode  NVARCHAR(10) NOT NULL,
    Samples     INT NOT NULL,
    CompletedAt DATETIME2 NOT NULL,
    PRIMARY KEY (BatchId, PersonType, PersonCode)
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_RollcallMigratedPersons_Person' AND object_id = OBJECT_ID(N'RollcallMigratedPersons'))
CREATE INDEX IX_RollcallMigratedPersons_Person ON RollcallMigratedPersons (PersonType, PersonCode);
GO
