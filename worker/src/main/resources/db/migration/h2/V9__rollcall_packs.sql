-- Rollcall's model-pack lifecycle (POST /api/admin/model): which pack is active and which is the candidate, and the
-- descriptors of packs other than the one a FaceData row holds. FaceData keeps one descriptor per sample (the
-- school's table, shared with the Node.js system); a sample's descriptors of further packs live here, so that a
-- candidate can be embedded beside the active pack and the old pack's descriptors kept until they are purged. New
-- tables only; no foreign key points at a school table (a deleted sample's rows are deleted with it by Rollcall,
-- and a load joins on FaceData, so a row left by another program's delete is never read).

CREATE TABLE IF NOT EXISTS RollcallSettings (
    Name  VARCHAR(64) NOT NULL PRIMARY KEY,
    Val   VARCHAR(255)
);

CREATE TABLE IF NOT EXISTS RollcallPackDescriptors (
    FaceDataId BIGINT NOT NULL,
    ModelPack  VARCHAR(64) NOT NULL,
    Descriptor CLOB NOT NULL,
    RunId      VARCHAR(36) NOT NULL,
    PRIMARY KEY (FaceDataId, ModelPack)
);

CREATE INDEX IF NOT EXISTS IX_RollcallPackDescriptors_Pack ON RollcallPackDescriptors (ModelPack, FaceDataId);

-- The shadow comparison: one row per recognition a shadow candidate ran again (recognition-log events of operation
-- shadow_recognize), so that GET /api/admin/model/comparison counts every worker's.
CREATE TABLE IF NOT EXISTS RollcallShadowOutcomes (
    EventId             VARCHAR(36) NOT NULL PRIMARY KEY,
    RunId               VARCHAR(36) NOT NULL,
    RequestId           VARCHAR(128) NOT NULL,
    Agreed              BOOLEAN NOT NULL,
    ActiveSimilarity    DOUBLE PRECISION,
    ActiveMs            INT NOT NULL,
    CandidateSimilarity DOUBLE PRECISION,
    CandidateMs         INT NOT NULL,
    RecordedAt          TIMESTAMP NOT NULL
);

CREATE INDEX IF NOT EXISTS IX_RollcallShadowOutcomes_Run ON RollcallShadowOutcomes (RunId);
