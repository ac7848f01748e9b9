-- Additive only. ImageSha256: the SHA-256 (hex) of ImageData for rows Rollcall writes, for duplicate-photo checks
-- without reading images; NULL on rows written by others. The index serves every per-person query.

IF COL_LENGTH(N'FaceData', N'ImageSha256') IS NULL
ALTER TABLE FaceData ADD ImageSha256 CHAR(64) NULL;
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_FaceData_Person' AND object_id = OBJECT_ID(N'FaceData'))
CREATE INDEX IX_FaceData_Person ON FaceData (PersonType, PersonCode);
GO
