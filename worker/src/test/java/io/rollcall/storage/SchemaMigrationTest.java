package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.rollcall.testing.LegacySchool;
import io.rollcall.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class SchemaMigrationTest {

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(kind);
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    @Test
    void createsEveryTableOnAnEmptyDatabase() {
        assertThat(db.migrate()).isEqualTo(migrations().size());

        assertThat(db.tables()).containsExactly("attendancerecords", "facedata", "facerecognitionlogs",
                "rollcall_schema_history", "rollcalllocks", "rollcallmigratedpersons", "rollcallmigratedsamples",
                "rollcallmigrationbatches", "rollcallpackdescriptors", "rollcallsettings", "rollcallshadowoutcomes", "sessions",
                "student", "teacher");
        assertThat(db.columns("FaceData")).containsExactly("contenttype", "createddate", "facedescriptor", "id",
                "imagedata", "imagesha256", "originalname", "personcode", "persontype");
        assertThat(db.columns("RollcallMigrationBatches")).containsExactly("batchid", "finishedat", "modelpack", "report",
                "rolledbackat", "selection", "startedat");
        assertThat(db.columns("RollcallMigratedSamples")).containsExactly("batchid", "facedataid", "migratedat",
                "personcode", "persontype", "sourceid", "sourcetable");
        assertThat(db.columns("RollcallMigratedPersons")).containsExactly("batchid", "completedat", "personcode",
                "persontype", "samples");
        assertThat(db.indexes("RollcallMigratedSamples")).contains(entry("ix_rollcallmigratedsamples_batch", false),
                entry("ix_rollcallmigratedsamples_person", false));
        assertThat(db.indexes("RollcallMigratedPersons")).contains(entry("ix_rollcallmigratedpersons_person", false));
        assertThat(db.columns("RollcallSettings")).containsExactly("name", "val");
        assertThat(db.columns("RollcallPackDescriptors")).containsExactly("descriptor", "facedataid", "modelpack", "runid");
        assertThat(db.indexes("RollcallPackDescriptors")).contains(entry("ix_rollcallpackdescriptors_pack", false));
        assertThat(db.columns("RollcallShadowOutcomes")).containsExactly("activems", "activesimilarity", "agreed",
                "candidatems", "candidatesimilarity", "eventid", "recordedat", "requestid", "runid");
        assertThat(db.columns("Sessions")).containsExactly("createddate", "endtime", "form", "id", "name", "starttime");
        assertThat(db.columns("FaceRecognitionLogs")).containsExactly("confidence", "eventid", "id", "personcode",
                "persontype", "processingtimems", "recognitiondate", "sourceimagename", "success");
        assertThat(db.indexes("FaceData")).contains(entry("ix_facedata_person", false));
        assertThat(db.indexes("FaceRecognitionLogs")).contains(entry("ux_facerecognitionlogs_eventid", true));
        assertThat(history()).isEqualTo(migrations());
    }

    @Test
    void runningTheMigrationsAgainChangesNothing() {
        db.migrate();
        var tables = db.tables();

        assertThat(db.migrate()).isZero();
        assertThat(db.tables()).isEqualTo(tables);
        assertThat(history()).isEqualTo(migrations());
    }

    @Test
    void addsOnlyWhatIsMissingToAnExistingSchoolDatabase() throws SQLException {
        db.runScript("/school-schema/" + fixtureDialect() + ".sql");
        insertLegacyFaceRows();
        Map<String, List<Map<String, String>>> before = snapshot();
        var sessionColumns = db.columns("Sessions");

        assertThat(db.migrate()).isEqualTo(migrations().size());

        assertThat(history()).isEqualTo(baselineThen(migrations())); // baseline 0, then every migration
        assertThat(db.tables()).containsExactly("attendancerecords", "facedata", "facerecognitionlogs",
                "rollcall_schema_history", "rollcalllocks", "rollcallmigratedpersons", "rollcallmigratedsamples",
                "rollcallmigrationbatches", "rollcallpackdescriptors", "rollcallsettings", "rollcallshadowoutcomes", "sessions",
                "student", "teacher");
        assertThat(db.columns("Sessions")).as("the school's own Sessions design is kept").isEqualTo(sessionColumns);
        assertThat(db.columns("FaceData")).contains("imagesha256");
        assertThat(db.indexes("FaceData")).contains(entry("ix_facedata_person", false));
        assertThat(snapshot()).as("every existing row, byte for byte").isEqualTo(before);
        assertThat(db.sql().sql("SELECT COUNT(*) FROM FaceData WHERE ImageSha256 IS NOT NULL").query(Integer.class).single())
                .isZero();

        List<LoadedSample> loaded = new ArrayList<>();
        GalleryLoadSummary summary = new GalleryRepository(db.access()).load("buffalo_l", 512, LoadedSample.into(loaded));
        assertThat(loaded).isEmpty();
        assertThat(summary).isEqualTo(new GalleryLoadSummary(0, 2, 0, 0));
    }

    @Test
    void addsTheEventIdToTheOlderServicesLogTableAndKeepsItsRows() {
        db.runScript("/school-schema/" + fixtureDialect() + ".sql");
        db.runScript("/school-schema/" + fixtureDialect() + "-python-logs.sql");

        assertThat(db.migrate()).isEqualTo(migrations().size());

        assertThat(db.columns("FaceRecognitionLogs")).contains("eventid");
        assertThat(db.indexes("FaceRecognitionLogs")).contains(entry("ux_facerecognitionlogs_eventid", true));
        assertThat(db.sql().sql("SELECT SourceImageName, EventId FROM FaceRecognitionLogs ORDER BY Id")
                .query((rs, i) -> rs.getString(1) + "/" + rs.getString(2)).list())
                .containsExactly("scan1.jpg/null", "scan2.jpg/null");

        RecognitionLogRepository logs = new RecognitionLogRepository(db.access());
        var entry = new RecognitionLogEntry("e6f5a1c2-0000-4000-8000-000000000001", null, null, 90, "scan3.jpg",
                LocalDateTime.of(2026, 3, 2, 8, 5), false);
        assertThat(logs.insert(entry)).isTrue();
        assertThat(logs.insert(entry)).isFalse();
        assertThat(db.sql().sql("SELECT COUNT(*) FROM FaceRecognitionLogs").query(Integer.class).single()).isEqualTo(3);
    }

    @Test
    void adoptsADatabaseThatAlreadyHasEverythingWithoutChangingIt() {
        db.migrate();
        db.sql().sql("DROP TABLE " + (kind == TestDatabase.Kind.H2 ? "\"rollcall_schema_history\"" : "rollcall_schema_history")).update();

        assertThat(db.migrate()).as("every script finds its objects and does nothing").isEqualTo(migrations().size());
        assertThat(history()).isEqualTo(baselineThen(migrations()));
    }

    /** Every vendor's scripts V1-V4, V6 and V9; H2 also has V5, which rewrites two CHECKs (H2SessionFreeChecks). */
    private List<String> migrations() {
        return kind == TestDatabase.Kind.H2 ? List.of("1", "2", "3", "4", "5", "6", "9") : List.of("1", "2", "3", "4", "6", "9");
    }

    private static List<String> baselineThen(List<String> versions) {
        List<String> all = new ArrayList<>(List.of("0"));
        all.addAll(versions);
        return all;
    }

    private String fixtureDialect() {
        return kind == TestDatabase.Kind.H2 ? "h2" : "mysql";
    }

    private List<String> history() {
        String table = kind == TestDatabase.Kind.H2 ? "\"rollcall_schema_history\"" : "rollcall_schema_history";
        String version = kind == TestDatabase.Kind.H2 ? "\"version\"" : "version";
        String success = kind == TestDatabase.Kind.H2 ? "\"success\"" : "success";
        String rank = kind == TestDatabase.Kind.H2 ? "\"installed_rank\"" : "installed_rank";
        return db.sql().sql("SELECT " + version + " FROM " + table + " WHERE " + success + " = TRUE AND " + version + " IS NOT NULL ORDER BY " + rank)
                .query(String.class).list();
    }

    /** The Node.js system's face rows: the old 128-number encodings, and one row whose descriptor is empty. */
    private void insertLegacyFaceRows() throws SQLException {
        Random random = new Random(7);
        StringJoiner encoding = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < 128; i++) {
            encoding.add(Double.toString(random.nextGaussian() * 0.1));
        }
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO FaceData (PersonType, PersonCode, ImageData,"
                     + " FaceDescriptor, OriginalName, ContentType) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, "student");
            ps.setString(2, "S001");
            ps.setBytes(3, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
            ps.setString(4, encoding.toString());
            ps.setString(5, "ann.jpg");
            ps.setString(6, "image/jpeg");
            ps.executeUpdate();
            ps.setString(1, "teacher");
            ps.setString(2, "T01");
            ps.setBytes(3, null);
            ps.setString(4, "");
            ps.setString(5, null);
            ps.setString(6, null);
            ps.executeUpdate();
        }
    }

    /** Every row of the school's tables as text, by table; ImageSha256 (added by the migration) left out. */
    private Map<String, List<Map<String, String>>> snapshot() {
        Map<String, List<Map<String, String>>> tables = LegacySchool.snapshot(db.dataSource(), Set.of("imagesha256"));
        assertThat(tables.get("FaceData")).hasSize(2);
        return tables;
    }
}
