-- The school's tables exactly as the requirements define them (service-spec.md). On a school database they
-- already exist and every statement here is a no-op: Rollcall creates what is missing and never drops, renames
-- or alters the school's columns.
-- Sessions is not in the spec; see docs/storage.md. Rollcall itself reads only Sessions.Id and StartTime.
-- Names are unqualified, so they resolve in the login's default schema (dbo for most schools), as the Node.js
-- system's own unqualified queries do. Each guarded statement is its own batch (GO).

IF OBJECT_ID(N'Student', N'U') IS NULL
CREATE TABLE Student (
    Id              INT IDENTITY(1,1) PRIMARY KEY,
    StudentCode     NCHAR(10),
    StudentNickname NVARCHAR(100),
    StudentName     NVARCHAR(200),
    StudentImage    IMAGE,
    EmailAddress    NVARCHAR(100),
    Campus          NVARCHAR(50),
    Form            NVARCHAR(100),
    CreatedDate     DATETIME DEFAULT GETDATE()
);
GO

IF OBJECT_ID(N'Teacher', N'U') IS NULL
CREATE TABLE Teacher (
    Id              INT IDENTITY(1,1) PRIMARY KEY,
    TeacherCode     NCHAR(10),
    TeacherNickname NVARCHAR(100),
    TeacherName     NVARCHAR(200),
    TeacherImage    IMAGE,
    EmailAddress    NVARCHAR(100),
    Campus          NVARCHAR(50),
    Department      NVARCHAR(100),
    CreatedDate     DATETIME DEFAULT GETDATE()
);
GO

IF OBJECT_ID(N'FaceData', N'U') IS NULL
CREATE TABLE FaceData (
    Id             INT IDENTITY(1,1) PRIMARY KEY,
    PersonType     VARCHAR(20) CHECK (PersonType IN ('student', 'teacher')),
    PersonCode     NCHAR(10) NOT NULL,
    ImageData      VARBINARY(MAX),
    FaceDescriptor NVARCHAR(MAX),
    OriginalName   VARCHAR(255),
    ContentType    VARCHAR(100),
    CreatedDate    DATETIME DEFAULT GETDATE()
);
GO

IF OBJECT_ID(N'Sessions', N'U') IS NULL
CREATE TABLE Sessions (
    Id          INT IDENTITY(1,1) PRIMARY KEY,
    Name        NVARCHAR(200) NOT NULL,
    Form        NVARCHAR(100),
    StartTime   DATETIME NOT NULL,
    EndTime     DATETIME NULL,
    CreatedDate DATETIME DEFAULT GETDATE()
);
GO

IF OBJECT_ID(N'AttendanceRecords', N'U') IS NULL
CREATE TABLE AttendanceRecords (
    Id             INT IDENTITY(1,1) PRIMARY KEY,
    SessionId      INT NOT NULL,
    StudentCode    NCHAR(10) NOT NULL,
    Status         VARCHAR(20) CHECK (Status IN ('Present', 'Absent', 'Late')),
    AttendanceDate DATETIME DEFAULT GETDATE(),
    CreatedDate    DATETIME DEFAULT GETDATE(),
    FOREIGN KEY (SessionId) REFERENCES Sessions (Id)
);
GO
