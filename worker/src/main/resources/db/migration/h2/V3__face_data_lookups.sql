-- Additive only. ImageSha256: the SHA-256 (hex) of ImageData for rows Rollcall writes, for duplicate-photo checks
-- without reading images; NULL on rows written by others. The index serves every per-person query.

ALTER TABLE FaceData ADD COLUMN IF NOT EXISTS ImageSha256 CHAR(64);

CREATE INDEX IF NOT EXISTS IX_FaceData_Person ON FaceData (PersonType, PersonCode);
