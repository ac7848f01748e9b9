package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import io.rollcall.testing.TestDatabase;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class DatabaseAccessTest {

    private static final PersonRef ANN = PersonRef.student("S001");

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    private DatabaseAccess access;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        access = new DatabaseAccess(db.dataSource());
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    @Test
    void detectsTheVendorAndTheDriversWayToStream() {
        assertThat(access.vendor()).isEqualTo(kind == TestDatabase.Kind.H2 ? DatabaseVendor.H2 : DatabaseVendor.MYSQL);
        assertThat(access.streamingFetchSize()).isEqualTo(
                kind == TestDatabase.Kind.MARIADB_VIA_MYSQL_DRIVER ? Integer.MIN_VALUE : DatabaseAccess.STREAMING_BATCH_ROWS);
    }

    @Test
    void repositoryWritesInsideOneWriteCommitOrRollBackTogether() {
        PersonRepository persons = new PersonRepository(access);
        FaceRepository faces = new FaceRepository(access);

        assertThatThrownBy(() -> access.write("enroll", () -> {
            persons.createIfMissing(ANN, "Ann Lee");
            faces.insert(new NewFaceSample(ANN, new byte[] {1}, TestEmbeddings.buffaloL(1), null, null));
            throw new IllegalStateException("engine failed after the writes");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(persons.find(ANN)).isEmpty();
        assertThat(faces.countSamples(ANN)).isZero();

        long id = access.write("enroll", () -> {
            persons.createIfMissing(ANN, "Ann Lee");
            return faces.insert(new NewFaceSample(ANN, new byte[] {1}, TestEmbeddings.buffaloL(1), null, null));
        });
        assertThat(persons.find(ANN)).isPresent();
        assertThat(faces.list(Optional.empty(), FaceListing.PER_SAMPLE, Paging.ALL).faces()).extracting(FaceSummary::sampleId).containsExactly(id);
    }

    @Test
    void aLockCanBeTakenAgainInsideTheTransactionHoldingIt() {
        String result = access.writeExclusively("outer", "k:1", () ->
                access.writeExclusively("inner", "k:1", () -> access.writeExclusively("other", "k:2", () -> "done")));

        assertThat(result).isEqualTo("done");
        assertThat(db.sql().sql("SELECT LockKey FROM RollcallLocks ORDER BY LockKey").query(String.class).list())
                .containsExactly("k:1", "k:2");
    }

    @Test
    void purgesIdleLockRowsAndRecreatesAPurgedOneOnNextUse() {
        access.writeExclusively("a", "k:old", () -> null);
        access.writeExclusively("b", "k:new", () -> null);
        db.sql().sql("UPDATE RollcallLocks SET AcquiredAt = ? WHERE LockKey = 'k:old'")
                .param(LocalDateTime.now().minusDays(3)).update();

        assertThat(access.purgeLocks(Duration.ofDays(1))).isEqualTo(1);
        assertThat(db.sql().sql("SELECT LockKey FROM RollcallLocks").query(String.class).list()).containsExactly("k:new");
        assertThat(access.writeExclusively("c", "k:old", () -> "again")).isEqualTo("again");
    }

    @Test
    void aFailingStatementBecomesDatabaseErrorNamingTheOperation() {
        assertThatThrownBy(() -> access.read("read a missing table", () ->
                access.jdbc().sql("SELECT COUNT(*) FROM NoSuchTable").query(Integer.class).single()))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                    assertThat(e.getMessage()).isEqualTo("Database error while trying to read a missing table");
                    assertThat(e.details()).isEqualTo(Map.of("operation", "read a missing table"));
                    assertThat(e.getCause()).isNotNull();
                });
    }

    @Test
    void aRollcallExceptionFromTheWorkPassesThroughAndRollsBack() {
        RollcallException notFound = new RollcallException(ErrorCode.PERSON_NOT_FOUND, "nobody");

        assertThatThrownBy(() -> access.write("w", () -> {
            new PersonRepository(access).createIfMissing(ANN, "Ann Lee");
            throw notFound;
        })).isSameAs(notFound);
        assertThat(new PersonRepository(access).find(ANN)).isEmpty();
    }
}
