package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.person.PersonRef;
import io.rollcall.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class PersonRepositoryTest {

    @Parameter
    TestDatabase.Kind kind;

    private TestDatabase db;
    private PersonRepository persons;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.migrated(kind);
        persons = new PersonRepository(db.access());
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null when the database was not available and the test was skipped
            db.close();
        }
    }

    @Test
    void findsStudentsAndTeachersByCodeWithThePaddingTrimmed() {
        db.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S001', 'Ann Lee')").update();
        db.sql().sql("INSERT INTO Teacher (TeacherCode, TeacherName) VALUES ('T01', 'Tess Ray')").update();

        assertThat(persons.find(PersonRef.student("S001"))).contains(new Person(PersonRef.student("S001"), "Ann Lee"));
        assertThat(persons.find(PersonRef.teacher("T01 "))).contains(new Person(PersonRef.teacher("T01"), "Tess Ray"));
        assertThat(persons.find(PersonRef.teacher("S001"))).isEmpty();
        assertThat(persons.find(PersonRef.student("S999"))).isEmpty();
    }

    @Test
    void namesAPersonByNicknameWhenTheNameIsEmptyAndByTheOldestRowOfARepeatedCode() {
        db.sql().sql("INSERT INTO Student (StudentCode, StudentNickname, StudentName) VALUES ('S002', 'Bo', NULL)").update();
        db.sql().sql("INSERT INTO Student (StudentCode, StudentNickname, StudentName) VALUES ('S003', NULL, '  ')").update();
        db.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S004', 'First')").update();
        db.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S004', 'Second')").update();

        assertThat(persons.find(PersonRef.student("S002")).orElseThrow().name()).isEqualTo("Bo");
        assertThat(persons.find(PersonRef.student("S003")).orElseThrow().name()).isNull();
        assertThat(persons.find(PersonRef.student("S004")).orElseThrow().name()).isEqualTo("First");
    }

    @Test
    void addsTheRowOfAnUnknownPersonOnce() {
        assertThat(persons.createIfMissing(PersonRef.teacher("T09"), "  Tom Fry ")).isTrue();
        assertThat(persons.createIfMissing(PersonRef.teacher("T09"), "Someone Else")).isFalse();

        assertThat(persons.find(PersonRef.teacher("T09"))).contains(new Person(PersonRef.teacher("T09"), "Tom Fry"));
        assertThat(db.sql().sql("SELECT COUNT(*) FROM Teacher WHERE CreatedDate IS NOT NULL AND TeacherNickname IS NULL")
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(db.sql().sql("SELECT COUNT(*) FROM Student").query(Integer.class).single()).isZero();
        assertThat(db.sql().sql("SELECT LockKey FROM RollcallLocks").query(String.class).list()).containsExactly("person:teacher:T09");
    }

    @Test
    void concurrentEnrollmentsOfTheSameNewPersonAddOneRow() throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return persons.createIfMissing(PersonRef.student("S777"), "Race Winner");
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<Boolean> result : results) {
                created += result.get() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.sql().sql("SELECT COUNT(*) FROM Student WHERE StudentCode = 'S777'").query(Integer.class).single())
                .isEqualTo(1);
    }

    @Test
    void renamesTheOldestRowOnlyWhenTheNameDiffersAndSaysWhatItWas() {
        db.sql().sql("INSERT INTO Student (StudentCode, StudentNickname, StudentName) VALUES ('S020', 'Annie', NULL)").update();
        db.sql().sql("INSERT INTO Student (StudentCode, StudentName) VALUES ('S020', 'Later Row')").update();

        assertThat(persons.rename(PersonRef.student("S020"), " Ann Lee ")).contains("Annie");
        assertThat(persons.find(PersonRef.student("S020")).orElseThrow().name()).isEqualTo("Ann Lee");
        assertThat(persons.rename(PersonRef.student("S020"), "Ann Lee")).isEmpty();
        assertThat(persons.rename(PersonRef.student("S999"), "Nobody")).as("no row, nothing to rename").isEmpty();
        assertThat(db.sql().sql("SELECT StudentNickname FROM Student WHERE StudentCode = 'S020' ORDER BY Id")
                .query(String.class).list()).as("nicknames are the school's own").containsExactly("Annie", null);
        assertThat(db.sql().sql("SELECT StudentName FROM Student WHERE StudentCode = 'S020' ORDER BY Id")
                .query(String.class).list()).as("only the oldest row, the person, is renamed").containsExactly("Ann Lee", "Later Row");
    }

    @Test
    void refusesToAddAPersonWithoutAUsableName() {
        assertThatThrownBy(() -> persons.createIfMissing(PersonRef.student("S010"), " "))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).containsEntry("field", "person_name");
                });
        assertThatThrownBy(() -> persons.createIfMissing(PersonRef.student("S010"), "x".repeat(201)))
                .isInstanceOfSatisfying(RollcallException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("person_name must be at most 200 characters, got 201"));
        assertThat(persons.find(PersonRef.student("S010"))).isEmpty();
    }
}
