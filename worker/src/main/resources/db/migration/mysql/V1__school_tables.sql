-- The school's tables as the requirements define them (service-spec.md), in MySQL/MariaDB types. On a school
-- database they already exist and every statement here is a no-op: Rollcall creates what is missing and never
-- drops, renames or alters the school's columns. Works on MySQL 8 and MariaDB 10.6+.
-- Sessions is not in the spec; see docs/storage.md. Rollcall itself reads only Sessions.Id and StartTime.
-- nchar/nvarchar become CHAR/VARCHAR in the table's utf8mb4 (MySQL's NCHAR would mean the older utf8mb3).

CREATE TABLE IF NOT EXISTS Student (
    Id              INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    StudentCode     CHAR(10),
    StudentNickname VARCHAR(100),
    StudentName     VARCHAR(200),
    StudentImage    LONGBLOB,
    EmailAddress    VARCHAR(100),
    Campus          VARCHAR(50),
    Form            VARCHAR(100),
    CreatedDate     DATETIME DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS Teacher (
    Id              INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    TeacherCode     CHAR(10),
    TeacherNickname VARCHAR(100),
    TeacherName     VARCHAR(200),
    TeacherImage    LONGBLOB,
    EmailAddress    VARCHAR(100),
    Campus          VARCHAR(50),
    Department      VARCHAR(100),
    CreatedDate     DATETIME DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS FaceData (
    Id             INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    PersonType     VARCHAR(20) CHECK (PersonType IN ('student', 'teacher')),
    PersonCode     CHAR(10) NOT NULL,
    ImageData      LONGBLOB,
    FaceDescriptor LONGTEXT,
    OriginalName   VARCHAR(255),
    ContentType    VARCHAR(100),
    CreatedDate    DATETIME DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS Sessions (
    Id          INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    Name        VARCHAR(200) NOT NULL,
    Form        VARCHAR(100),
    StartTime   DATETIME NOT NULL,
    EndTime     DATETIME NULL,
    CreatedDate DATETIME DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS AttendanceRecords (
    Id             INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    SessionId      INT NOT NULL,
    StudentCode    CHAR(10) NOT NULL,
    Status         VARCHAR(20) CHECK (Status IN ('Present', 'Absent', 'Late')),
    AttendanceDate DATETIME DEFAULT CURRENT_TIMESTAMP,
    CreatedDate    DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (SessionId) REFERENCES Sessions (Id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
