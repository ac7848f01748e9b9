-- Rollcall's named locks (DatabaseAccess.writeExclusively): one row per key, locked by UPDATE for the length of a
-- transaction. Old rows may be purged (DatabaseAccess.purgeLocks).

IF OBJECT_ID(N'RollcallLocks', N'U') IS NULL
CREATE TABLE RollcallLocks (
    LockKey    NVARCHAR(64) NOT NULL PRIMARY KEY,
    AcquiredAt DATETIME2 NOT NULL
);
GO
