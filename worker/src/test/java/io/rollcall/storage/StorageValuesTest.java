package io.rollcall.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.rollcall.person.PersonRef;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class StorageValuesTest {

    private static final LocalDateTime AT = LocalDateTime.of(2026, 3, 2, 8, 0);

    @Test
    void pagingNeedsANonNegativeOffsetAndAPositiveLimit() {
        assertThat(Paging.ALL.isAll()).isTrue();
        assertThat(Paging.of(0, 50).isAll()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> Paging.of(-1, 10)).withMessage("offset must not be negative, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> Paging.of(0, 0)).withMessage("limit must be at least 1, got 0");
    }

    @Test
    void aSampleCutsALongFileNameAndNeverPrintsItsBytes() {
        NewFaceSample sample = new NewFaceSample(PersonRef.student("S001"), new byte[] {1, 2, 3},
                TestEmbeddings.buffaloL(1), "n".repeat(300), "image/png");

        assertThat(sample.originalName()).hasSize(255);
        assertThat(sample.toString()).contains("image=3 bytes", "FaceDescriptor[model=buffalo_l, dim=512]")
                .doesNotContain("[1, 2, 3]");
        assertThatIllegalArgumentException().isThrownBy(() -> new NewFaceSample(PersonRef.student("S001"), null,
                TestEmbeddings.buffaloL(1), null, "x".repeat(101)));
    }

    @Test
    void aLogEntryNeedsAnEventIdThatFitsAndAStorableConfidence() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RecognitionLogEntry(" ", null, null, null, null, AT, false));
        assertThatIllegalArgumentException().isThrownBy(
                () -> new RecognitionLogEntry("x".repeat(37), null, null, null, null, AT, false));
        assertThatIllegalArgumentException().isThrownBy(
                () -> new RecognitionLogEntry("e1", null, Double.NaN, null, null, AT, false));
        assertThatIllegalArgumentException().isThrownBy(
                () -> new RecognitionLogEntry("e1", null, 10.0, null, null, AT, false));
        assertThat(new RecognitionLogEntry("e1", null, -1.0, null, "s".repeat(300), AT, false).sourceImageName()).hasSize(255);
    }

    @Test
    void anEmbeddingIsNeverPrinted() {
        FaceDescriptor d = new FaceDescriptor("dev", new float[] {0.25f, 0.5f});

        assertThat(d).hasToString("FaceDescriptor[model=dev, dim=2]");
        assertThat(new NewFaceSample(PersonRef.teacher("T01"), new byte[3], d, null, null))
                .hasToString("NewFaceSample[person=teacher:T01, image=3 bytes, descriptor=FaceDescriptor[model=dev, dim=2],"
                        + " originalName=null, contentType=null]");
    }
}
