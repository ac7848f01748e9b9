-- Rollcall's model-pack lifecycle (POST /api/admin/model): which pack is active and which is the candidate, and the
-- descriptors of packs other than the one a FaceData row holds. FaceData keeps one descriptor per sample (the
-- school's table, shared with the Node.js system); a sample's descriptors of further packs live here, so that a
-- candidate can be embedded beside the active pack and the old pack's descriptors kept until they are purged. New
-- tables only; no foreign key points at a school table (a deleted sample's rows are deleted with it by Rollcall,
-- and a load joins on FaceData, so a row left by another program's delete is never read).

CREATE TABLE IF NOT EXISTS RollcallSettings (
    Name  VARCHAR(64) NOT NULL PRIMARY KEY,
    Val   VARCHAR(255)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS RollcallPackDescriptors (
    FaceDataId BIGINT NOT NULL,
    ModelPack  VARCHAR(64) NOT NULL,
    Descriptor LONGTEXT NOT NULL,
    RunId      VARCHAR(36) NOT NULL,
    PRIMARY KEY (FaceDataId, ModelPack),
    INDEX IX_RollcallPackDescriptors_Pack (ModelPack, FaceDataId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The shadow comparison: one row per recognition a shadow candidate ran again (recognition-log events of operation
-- shadow_recognize), so that GET /api/admin/model/comparison counts every worker's.
CREATE TABLE IF NOT EXISTS RollcallShadowOutcomes (
    EventId             VARCHAR(36) NOT NULL PRIMARY KEY,
    RunId               VARCHAR(36) NOT NULL,
    RequestId           VARCHAR(128) NOT NULL,
    Agreed              BOOLEAN NOT NULL,
    ActiveSimilarity    DOUBLE,
    ActiveMs            INT NOT NULL,
    CandidateSimilarity DOUBLE,
    CandidateMs         INT NOT NULL,
    RecordedAt          DATETIME NOT NULL,
    INDEX IX_RollcallShadowOutcomes_Run (RunId)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
