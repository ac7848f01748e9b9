package io.rollcall.recognize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rollcall.engine.FaceEngine;
import io.rollcall.engine.image.DecodedImage;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryMatch;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import io.rollcall.testing.DevData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recognition against a gallery enrolled from the first photo of several dev identities. */
class RecognizerTest {
    private static final double THRESHOLD = 0.4;
    private static final List<String> STUDENTS = List.of("angelina_jolie", "kit_harington", "rose_leslie", "tom_hanks");
    private static final PersonRef TEACHER = PersonRef.teacher("T001");
    private static Gallery gallery;
    private static Recognizer recognizer;

    @BeforeAll
    static void enroll() {
        FaceEngine engine = DevData.engine();
        gallery = new Gallery("dev", 512);
        long id = 1;
        for (String identity : STUDENTS) {
            gallery.put(id++, PersonRef.student(code(identity)), identity, embedding(identity + "/01.jpg"));
        }
        gallery.put(id, TEACHER, "Scarlett Johansson", embedding("scarlett_johansson/01.jpg"));
        recognizer = new Recognizer(engine, gallery);
    }

    @Test
    void recognisesAnEnrolledStudentFromASecondPhoto() {
        Recognizer.Recognition r = recognize("angelina_jolie/03.jpg", null);
        GalleryMatch match = r.match().orElseThrow();
        assertThat(match.person()).isEqualTo(PersonRef.student(code("angelina_jolie")));
        assertThat(gallery.name(match.person())).isEqualTo("angelina_jolie");
        assertThat(match.similarity()).isGreaterThan((float) THRESHOLD);
        assertThat(r.confidence()).isGreaterThan(0.5);
    }

    @Test
    void anUnknownPersonGetsNoMatch() {
        assertThat(recognize("katy_perry/01.jpg", null).match()).isEmpty();
        assertThat(recognize("katy_perry/01.jpg", null).confidence()).isZero();
    }

    @Test
    void thePersonTypeFilterOnlySearchesThatType() {
        assertThat(recognize("scarlett_johansson/02.jpg", PersonType.TEACHER).match().orElseThrow().person()).isEqualTo(TEACHER);
        assertThat(recognize("scarlett_johansson/02.jpg", PersonType.STUDENT).match()).isEmpty();
    }

    @Test
    void aPhotoWithoutAFaceIsAnError() {
        assertThatThrownBy(() -> recognize("_noface/01.jpg", null))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_FACE_DETECTED));
    }

    @Test
    void recognisesEveryEnrolledFaceInAClassPhoto() {
        try (DecodedImage image = DevData.decode("_group/03.jpg")) {
            List<Recognizer.Recognition> all = recognizer.recognizeAll(image, null, THRESHOLD);
            assertThat(all).hasSize(2);
            assertThat(all.stream().map(r -> r.match().orElseThrow().person().code()).toList())
                    .containsExactlyInAnyOrder(code("kit_harington"), code("rose_leslie"));
        }
    }

    @Test
    void verifiesSameAndDifferentPeople() {
        try (DecodedImage a = DevData.decode("tom_hanks/02.jpg"); DecodedImage b = DevData.decode("tom_hanks/04.jpg");
             DecodedImage c = DevData.decode("vladimir_putin/01.jpg")) {
            Recognizer.Verification same = recognizer.verify(a, b, THRESHOLD);
            assertThat(same.samePerson()).isTrue();
            assertThat(same.similarity()).isGreaterThan(THRESHOLD);
            Recognizer.Verification different = recognizer.verify(a, c, THRESHOLD);
            assertThat(different.samePerson()).isFalse();
            assertThat(different.similarity()).isLessThan(0.2);
        }
    }

    @Test
    void verificationNamesTheImageWithoutAFace() {
        try (DecodedImage a = DevData.decode("tom_hanks/02.jpg"); DecodedImage none = DevData.decode("_noface/02.jpg")) {
            assertThatThrownBy(() -> recognizer.verify(a, none, THRESHOLD))
                    .isInstanceOfSatisfying(RollcallException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NO_FACE_DETECTED);
                        assertThat(e.details()).containsEntry("field", "image2_base64");
                    });
        }
    }

    @Test
    void confidenceIsHalfAtTheThresholdAndOneAtAPerfectMatch() {
        assertThat(Confidence.of(0.4, 0.4)).isEqualTo(0.5);
        assertThat(Confidence.of(1.0, 0.4)).isEqualTo(1.0);
        assertThat(Confidence.of(0.7, 0.4)).isCloseTo(0.75, within(1e-9));
        assertThat(Confidence.of(-1.0, 0.4)).isZero();
        assertThat(Confidence.of(0.2, 0.6)).isLessThan(0.5);
    }

    private static Recognizer.Recognition recognize(String photo, PersonType filter) {
        try (DecodedImage image = DevData.decode(photo)) {
            return recognizer.recognize(image, filter, THRESHOLD);
        }
    }

    private static float[] embedding(String photo) {
        try (DecodedImage image = DevData.decode(photo)) {
            return DevData.engine().analyze(image, FaceEngine.Embed.PRIMARY).faces().get(0).embedding();
        }
    }

    private static String code(String identity) {
        return "S" + Math.abs(identity.hashCode() % 1000);
    }
}
