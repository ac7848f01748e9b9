-- Rollcall's model-pack lifecycle (POST /api/admin/model): which pack is active and which is the candidate, and the
-- descriptors of packs other than the one a FaceData row holds. FaceData keeps one descriptor per sample (the
-- school's table, shared with the Node.js system); a sample's descriptors of further packs live here, so that a
-- candidate can be embedded beside the active pack and the old pack's descriptors kept until they are purged. New
-- tables only; no foreign key points at a school table. Each guarded statement is its own batch (GO), as in V1.

IF OBJECT_ID(N'RollcallSettings', N'U') IS NULL
CREATE TABLE RollcallSettings (
    Name  NVARCHAR(64) NOT NULL PRIMARY KEY,
    Val   NVARCHAR(255) NULL
);
GO

IF OBJECT_ID(N'RollcallPackDescriptors', N'U') IS NULL
CREATE TABLE RollcallPackDescriptors (
    FaceDataId BIGINT NOT NULL,
    ModelPack  NVARCHAR(64) NOT NULL,
    Descriptor NVARCHAR(MAX) NOT NULL,
    RunId      VARCHAR(36) NOT NULL,
    CONSTRAINT PK_RollcallPackDescriptors PRIMARY KEY (FaceDataId, ModelPack)
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_RollcallPackDescriptors_Pack' AND object_id = OBJECT_ID(N'RollcallPackDescriptors'))
CREATE INDEX IX_RollcallPackDescriptors_Pack ON RollcallPackDescriptors (ModelPack, FaceDataId);
GO

IF OBJECT_ID(N'RollcallShadowOutcomes', N'U') IS NULL
CREATE TABLE RollcallShadowOutcomes (
    EventId             VARCHAR(36) NOT NULL PRIMARY KEY,
    RunId               VARCHAR(36) NOT NULL,
    RequestId           NVARCHAR(128) NOT NULL,
    Agreed              BIT NOT NULL,
    ActiveSimilarity    FLOAT NULL,
    ActiveMs            INT NOT NULL,
    CandidateSimilarity FLOAT NULL,
    CandidateMs         INT NOT NULL,
    RecordedAt          DATETIME2 NOT NULL
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_RollcallShadowOutcomes_Run' AND object_id = OBJECT_ID(N'RollcallShadowOutcomes'))
CREATE INDEX IX_RollcallShadowOutcomes_Run ON RollcallShadowOutcomes (RunId);
GO
