package io.rollcall.ingress.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.Multipart;
import io.rollcall.schemas.EnrollCommand;
import io.rollcall.schemas.EnrollResult;
import io.rollcall.schemas.PersonType;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * An uploaded photo never touches the ingress's disk: Spring's default spools every form part to a temporary file
 * (a photo left behind if the process dies mid-request). The spool folder here is {@code /proc}, where no file can
 * be created, so the upload succeeds only if the part is held in memory, within the request's body limit.
 */
@TestPropertySource(properties = "spring.servlet.multipart.location=/proc")
class UploadsStayInMemoryHttpTest extends IngressHttpTest {

    @Test
    void aFormPhotoIsEnrolledWithoutATemporaryFile() {
        byte[] photo = new byte[4000]; // under the tests' MAX_IMAGE_BYTES of 4 KiB
        new Random(7).nextBytes(photo);
        System.arraycopy(JPEG, 0, photo, 0, JPEG.length);
        gateway.answer(EnrollResult.newBuilder().setPersonType(PersonType.STUDENT).setPersonCode("S001")
                .setPersonName("John Doe").setEmbeddingId(123).setSamples(1).build());
        Multipart form = new Multipart().field("person_type", "student").field("person_code", "S001")
                .field("person_name", "John Doe").file("file", "portrait.jpg", "image/jpeg", photo);

        HttpAnswer answer = send(request("/api/face/enroll").POST(BodyPublishers.ofByteArray(form.bytes())),
                "Content-Type", form.contentType());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        ByteBuffer image = gateway.onlyCommand(EnrollCommand.class).getImage();
        byte[] received = new byte[image.remaining()];
        image.duplicate().get(received);
        assertThat(received).isEqualTo(photo);
    }
}
