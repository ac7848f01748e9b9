-- Rollcall's named locks (DatabaseAccess.writeExclusively): one row per key, locked by UPDATE for the length of a
-- transaction. Old rows may be purged (DatabaseAccess.purgeLocks).

CREATE TABLE IF NOT EXISTS RollcallLocks (
    LockKey    VARCHAR(64) NOT NULL PRIMARY KEY,
    AcquiredAt DATETIME NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
