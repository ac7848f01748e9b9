-- The recognition log table as the older Python service created it: no EventId.
CREATE TABLE FaceRecognitionLogs (
    Id INT AUTO_INCREMENT PRIMARY KEY,
    PersonCode NCHAR(10),
    PersonType VARCHAR(20),
    Confidence DECIMAL(5,4),
    ProcessingTimeMs INT,
    SourceImageName VARCHAR(255),
    RecognitionDate DATETIME DEFAULT CURRENT_TIMESTAMP,
    Success BIT
);
INSERT INTO FaceRecognitionLogs (PersonCode, PersonType, Confidence, ProcessingTimeMs, SourceImageName, RecognitionDate, Success) VALUES ('S001', 'student', 0.9123, 240, 'scan1.jpg', '2026-03-01 08:01:00', 1);
INSERT INTO FaceRecognitionLogs (PersonCode, PersonType, Confidence, ProcessingTimeMs, SourceImageName, RecognitionDate, Success) VALUES (NULL, NULL, NULL, 180, 'scan2.jpg', '2026-03-01 08:02:00', 0);
