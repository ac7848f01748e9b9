package io.rollcall.backup;

import io.rollcall.storage.Database;
import io.rollcall.storage.StoreSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;

/**
 * Another process that holds an embedded H2 database, as {@code ./rollcall} does, and keeps writing to it: each
 * transaction inserts a session and one attendance row for it, so in any consistent snapshot the two tables have
 * the same number of rows. Prints {@code ready} once the database is open; runs until it is killed.
 */
public final class SessionWriterProcess {
    private SessionWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (Database database = Database.open(new StoreSettings(args[0], null, null, 2));
             Connection c = database.dataSource().getConnection()) {
            System.out.println("ready");
            System.out.flush();
            c.setAutoCommit(false);
            try (PreparedStatement session = c.prepareStatement("INSERT INTO Sessions (Name, StartTime) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement attendance = c.prepareStatement(
                         "INSERT INTO AttendanceRecords (SessionId, StudentCode, Status) VALUES (?, 'S001', 'Present')")) {
                for (long i = 0; ; i++) {
                    session.setString(1, "period " + i);
                    session.setObject(2, LocalDateTime.of(2026, 3, 2, 8, 0).plusMinutes(i));
                    session.executeUpdate();
                    try (ResultSet keys = session.getGeneratedKeys()) {
                        keys.next();
                        attendance.setLong(1, keys.getLong(1));
                    }
                    attendance.executeUpdate();
                    c.commit();
                    Thread.sleep(2); // hundreds a second, not the 3,000 that would take both cores
                }
            }
        }
    }
}
