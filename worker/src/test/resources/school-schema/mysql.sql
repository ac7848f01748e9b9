-- A school database as the Node.js attendance system creates it on MySQL/MariaDB: NCHAR/NVARCHAR columns
-- (utf8mb3, unlike Rollcall's utf8mb4), MEDIUMBLOB photos, and a Sessions table of the school's own design.
CREATE TABLE Student (
    Id INT AUTO_INCREMENT PRIMARY KEY,
    StudentCode NCHAR(10),
    StudentNickname NVARCHAR(100),
    StudentName NVARCHAR(200),
    StudentImage MEDIUMBLOB,
    EmailAddress NVARCHAR(100),
    Campus NVARCHAR(50),
    Form NVARCHAR(100),
    CreatedDate DATETIME DEFAULT CURRENT_TIMESTAMP
) DEFAULT CHARSET = utf8mb3;
CREATE TABLE Teacher (
    Id INT AUTO_INCREMENT PRIMARY KEY,
    TeacherCode NCHAR(10),
    TeacherNickname NVARCHAR(100),
    TeacherName NVARCHAR(200),
    TeacherImage MEDIUMBLOB,
    EmailAddress NVARCHAR(100),
    Campus NVARCHAR(50),
    Department NVARCHAR(100),
    CreatedDate DATETIME DEFAULT CURRENT_TIMESTAMP
) DEFAULT CHARSET = utf8mb3;
CREATE TABLE FaceData (
    Id INT AUTO_INCREMENT PRIMARY KEY,
    PersonType VARCHAR(20) CHECK (PersonType IN ('student', 'teacher')),
    PersonCode NCHAR(10) NOT NULL,
    ImageData LONGBLOB,
    FaceDescriptor LONGTEXT,
    OriginalName VARCHAR(255),
    ContentType VARCHAR(100),
    CreatedDate DATETIME DEFAULT CURRENT_TIMESTAMP
) DEFAULT CHARSET = utf8mb3;
CREATE TABLE Sessions (
    Id INT AUTO_INCREMENT PRIMARY KEY,
    SessionName NVARCHAR(100) NOT NULL,
    ClassName NVARCHAR(50),
    SessionDate DATE,
    StartTime DATETIME,
    EndTime DATETIME,
    TeacherCode NCHAR(10)
) DEFAULT CHARSET = utf8mb3;
CREATE TABLE AttendanceRecords (
    Id INT AUTO_INCREMENT PRIMARY KEY,
    SessionId INT NOT NULL,
    StudentCode NCHAR(10) NOT NULL,
    Status VARCHAR(20) CHECK (Status IN ('Present', 'Absent', 'Late')),
    AttendanceDate DATETIME DEFAULT CURRENT_TIMESTAMP,
    CreatedDate DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (SessionId) REFERENCES Sessions(Id)
) DEFAULT CHARSET = utf8mb3;
INSERT INTO Student (StudentCode, StudentNickname, StudentName, Form, CreatedDate) VALUES ('S001', 'Annie', 'Ann Lee', '10A', '2025-09-01 08:00:00');
INSERT INTO Student (StudentCode, StudentNickname, StudentName, Form, CreatedDate) VALUES ('S002', 'Bo', NULL, '10A', '2025-09-01 08:00:00');
INSERT INTO Student (StudentCode, StudentNickname, StudentName, Form, CreatedDate) VALUES ('S003', NULL, 'Cy Dee', '10B', '2025-09-01 08:00:00');
INSERT INTO Teacher (TeacherCode, TeacherName, Department, CreatedDate) VALUES ('T01', 'Tess Ray', 'Maths', '2025-09-01 08:00:00');
INSERT INTO Sessions (SessionName, ClassName, SessionDate, StartTime, EndTime, TeacherCode) VALUES ('Maths', '10A', '2026-03-02', '2026-03-02 08:00:00', '2026-03-02 09:00:00', 'T01');
INSERT INTO AttendanceRecords (SessionId, StudentCode, Status, AttendanceDate, CreatedDate) VALUES (1, 'S002', 'Present', '2026-03-02 08:03:00', '2026-03-02 08:03:00');
INSERT INTO AttendanceRecords (SessionId, StudentCode, Status, AttendanceDate, CreatedDate) VALUES (1, 'S003', 'Absent', '2026-03-02 08:00:00', '2026-03-02 08:00:00');
