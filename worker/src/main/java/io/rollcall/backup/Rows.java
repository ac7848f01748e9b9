package io.rollcall.backup;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A row as an array of its table's column values ({@link Column.Kind} gives each value's Java type), and its three
 * forms: JDBC result, JDBC parameters, and one JSON object in the archive ({@code {"Id":1,"PersonCode":"S001",...}},
 * photos in base64, times as ISO 8601 local date-times, decimals as strings).
 */
final class Rows {
    private Rows() {
    }

    static Object[] read(ResultSet rs, BackupTable table, boolean photos) throws SQLException {
        Object[] row = new Object[table.columns().size()];
        for (int i = 0; i < row.length; i++) {
            Column c = table.columns().get(i);
            int at = i + 1;
            row[i] = switch (c.kind()) {
                case ID, NUMBER -> {
                    long v = rs.getLong(at);
                    yield rs.wasNull() ? null : v;
                }
                case TEXT -> rs.getString(at);
                case PHOTO -> photos ? rs.getBytes(at) : null;
                case TIMESTAMP -> rs.getObject(at, LocalDateTime.class);
                case DECIMAL -> rs.getBigDecimal(at);
                case BOOLEAN -> {
                    boolean v = rs.getBoolean(at);
                    yield rs.wasNull() ? null : v;
                }
            };
        }
        return row;
    }

    static void bind(PreparedStatement ps, int at, Column c, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(at, switch (c.kind()) {
                case ID, NUMBER -> Types.BIGINT;
                case TEXT -> Types.VARCHAR;
                case PHOTO -> Types.VARBINARY;
                case TIMESTAMP -> Types.TIMESTAMP;
                case DECIMAL -> Types.DECIMAL;
                case BOOLEAN -> Types.BOOLEAN;
            });
            return;
        }
        switch (c.kind()) {
            case ID, NUMBER -> ps.setLong(at, (Long) value);
            case TEXT -> ps.setString(at, (String) value);
            case PHOTO -> ps.setBytes(at, (byte[]) value);
            case TIMESTAMP -> ps.setObject(at, value);
            case DECIMAL -> ps.setBigDecimal(at, (BigDecimal) value);
            case BOOLEAN -> ps.setBoolean(at, (Boolean) value);
        }
    }

    static void write(JsonGenerator json, BackupTable table, Object[] row) {
        json.writeStartObject();
        for (int i = 0; i < row.length; i++) {
            Column c = table.columns().get(i);
            Object v = row[i];
            json.writeName(c.name());
            if (v == null) {
                json.writeNull();
                continue;
            }
            switch (c.kind()) {
                case ID, NUMBER -> json.writeNumber((Long) v);
                case TEXT -> json.writeString((String) v);
                case PHOTO -> json.writeBinary((byte[]) v);
                case TIMESTAMP -> json.writeString(v.toString());
                case DECIMAL -> json.writeString(((BigDecimal) v).toPlainString());
                case BOOLEAN -> json.writeBoolean((Boolean) v);
            }
        }
        json.writeEndObject();
    }

    /**
     * The next row of an entry, or null at its end. The entry is authenticated, so anything it does not expect
     * comes from a newer format rather than from damage: BACKUP_UNSUPPORTED.
     */
    static Object[] next(JsonParser json, BackupTable table) {
        try {
            JsonToken token = json.nextToken();
            if (token == null) {
                return null;
            }
            expect(token == JsonToken.START_OBJECT, table, "a row");
            Object[] row = new Object[table.columns().size()];
            while ((token = json.nextToken()) == JsonToken.PROPERTY_NAME) {
                int i = table.indexOf(json.currentName());
                expect(i >= 0, table, "a column named " + json.currentName());
                Column c = table.columns().get(i);
                token = json.nextToken();
                if (token == JsonToken.VALUE_NULL) {
                    continue;
                }
                row[i] = switch (c.kind()) {
                    case ID, NUMBER -> {
                        expect(token == JsonToken.VALUE_NUMBER_INT, table, c.name());
                        yield json.getLongValue();
                    }
                    case TEXT -> text(json, token, table, c);
                    case PHOTO -> {
                        expect(token == JsonToken.VALUE_STRING, table, c.name());
                        yield json.getBinaryValue();
                    }
                    case TIMESTAMP -> LocalDateTime.parse(text(json, token, table, c));
                    case DECIMAL -> new BigDecimal(text(json, token, table, c));
                    case BOOLEAN -> {
                        expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, table, c.name());
                        yield token == JsonToken.VALUE_TRUE;
                    }
                };
            }
            expect(token == JsonToken.END_OBJECT, table, "the end of a row");
            return row;
        } catch (JacksonException | DateTimeParseException | NumberFormatException e) {
            // Not the message: a parser quotes the text around the problem, which may be a name.
            throw unsupported(table, "malformed value (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String text(JsonParser json, JsonToken token, BackupTable table, Column c) {
        expect(token == JsonToken.VALUE_STRING, table, c.name());
        return json.getString();
    }

    private static void expect(boolean ok, BackupTable table, String what) {
        if (!ok) {
            throw unsupported(table, "expected " + what);
        }
    }

    private static RollcallException unsupported(BackupTable table, String problem) {
        return new RollcallException(ErrorCode.BACKUP_UNSUPPORTED, "The backup's " + table.sqlName()
                + " rows are not in a format this Rollcall reads: " + problem, Map.of("table", table.sqlName()));
    }
}
