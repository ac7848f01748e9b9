-- The school's tables in T-SQL, copied verbatim from the requirements (service-spec.md), plus a Sessions table of
-- the school's own design (the spec references it without defining it) and a few rows.
CREATE TABLE Sessions (
    Id INT IDENTITY(1,1) PRIMARY KEY,
    SessionName nvarchar(100) NOT NULL,
    ClassName nvarchar(50),
    StartTime DATETIME,
    EndTime DATETIME
);
CREATE TABLE Student (
    Id INT IDENTITY(1,1) PRIMARY KEY,
    StudentCode nchar(10),
    StudentNickname nvarchar(100),
    StudentName nvarchar(200),
    StudentImage image,
    EmailAddress nvarchar(100),
    Campus nvarchar(50),
    Form nvarchar(100),
    CreatedDate DATETIME DEFAULT GETDATE()
);
CREATE TABLE Teacher (
    Id INT IDENTITY(1,1) PRIMARY KEY,
    TeacherCode nchar(10),
    TeacherNickname nvarchar(100),
    TeacherName nvarchar(200),
    TeacherImage image,
    EmailAddress nvarchar(100),
    Campus nvarchar(50),
    Department nvarchar(100),
    CreatedDate DATETIME DEFAULT GETDATE()
);
CREATE TABLE FaceData (
    Id INT IDENTITY(1,1) PRIMARY KEY,
    PersonType VARCHAR(20) CHECK (PersonType IN ('student', 'teacher')),
    PersonCode nchar(10) NOT NULL,
    ImageData VARBINARY(MAX),
    FaceDescriptor NVARCHAR(MAX),
    OriginalName VARCHAR(255),
    ContentType VARCHAR(100),
    CreatedDate DATETIME DEFAULT GETDATE()
);
CREATE TABLE AttendanceRecords (
    Id INT IDENTITY(1,1) PRIMARY KEY,
    SessionId INT NOT NULL,
    StudentCode nchar(10) NOT NULL,
    Status VARCHAR(20) CHECK (Status IN ('Present', 'Absent', 'Late')),
    AttendanceDate DATETIME DEFAULT GETDATE(),
    CreatedDate DATETIME DEFAULT GETDATE(),
    FOREIGN KEY (SessionId) REFERENCES Sessions(Id)
);
CREATE TABLE FaceRecognitionLogs (
    Id INT IDENTITY(1,1) PRIMARY KEY,
    PersonCode nchar(10),
    PersonType VARCHAR(20),
    Confidence DECIMAL(5,4),
    ProcessingTimeMs INT,
    SourceImageName VARCHAR(255),
    RecognitionDate DATETIME DEFAULT GETDATE(),
    Success BIT
);
INSERT INTO Student (StudentCode, StudentName) VALUES (N'S001', N'Ann Lee');
INSERT INTO FaceData (PersonType, PersonCode, FaceDescriptor) VALUES ('student', N'S001', N'[0.1, 0.2, 0.3]');
INSERT INTO FaceRecognitionLogs (PersonCode, PersonType, Success) VALUES (N'S001', 'student', 1);
INSERT INTO FaceRecognitionLogs (PersonCode, PersonType, Success) VALUES (NULL, NULL, 0);
