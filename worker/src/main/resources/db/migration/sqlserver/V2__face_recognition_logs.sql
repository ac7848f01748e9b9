-- Recognition logs (service-spec.md) plus EventId: the topic's event id, unique so that a redelivered event is
-- written once. An older service may have created the table without EventId: the column is then added, and its
-- old rows keep EventId NULL. SQL Server's unique index allows one NULL only, hence the filtered index.
-- Each step is its own batch (GO): the index must compile after the column exists.

IF OBJECT_ID(N'FaceRecognitionLogs', N'U') IS NULL
CREATE TABLE FaceRecognitionLogs (
    Id               INT IDENTITY(1,1) PRIMARY KEY,
    PersonCode       NCHAR(10),
    PersonType       VARCHAR(20),
    Confidence       DECIMAL(5,4),
    ProcessingTimeMs INT,
    SourceImageName  VARCHAR(255),
    RecognitionDate  DATETIME DEFAULT GETDATE(),
    Success          BIT,
    EventId          VARCHAR(36) NULL
);
GO

IF COL_LENGTH(N'FaceRecognitionLogs', N'EventId') IS NULL
ALTER TABLE FaceRecognitionLogs ADD EventId VARCHAR(36) NULL;
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_FaceRecognitionLogs_EventId' AND object_id = OBJECT_ID(N'FaceRecognitionLogs'))
CREATE UNIQUE INDEX UX_FaceRecognitionLogs_EventId ON FaceRecognitionLogs (EventId) WHERE EventId IS NOT NULL;
GO
