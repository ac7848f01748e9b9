package io.rollcall.ingress.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.ingress.http.JsonBodyConverter;
import io.rollcall.schemas.RecognizeCommand;
import io.rollcall.schemas.RecognizeResult;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/** Spring MVC reads JSON bodies with {@link JsonBodyConverter}, and a plain base64 photo arrives byte for byte. */
class PhotoBodyHttpTest extends IngressHttpTest {
    @Autowired
    private RequestMappingHandlerAdapter mvc;

    @Test
    void photoBodiesAreReadByTheConverterThatDecodesWhileParsingAndEverythingElseAsBefore() {
        List<HttpMessageConverter<?>> converters = mvc.getMessageConverters();
        MediaType json = MediaType.APPLICATION_JSON;

        // Spring asks the converters in order and takes the first that can.
        assertThat(first(converters, c -> c.canRead(FaceRequests.Recognize.class, json))).isInstanceOf(JsonBodyConverter.class);
        assertThat(first(converters, c -> c.canRead(FaceRequests.BatchEnroll.class, json))).isInstanceOf(JsonBodyConverter.class);
        assertThat(first(converters, c -> c.canRead(FaceRequests.Delete.class, json)))
                .isExactlyInstanceOf(JacksonJsonHttpMessageConverter.class);
        assertThat(first(converters, c -> c.canRead(String.class, json))).isNotInstanceOf(JacksonJsonHttpMessageConverter.class);
        assertThat(first(converters, c -> c.canWrite(Map.class, json))).isExactlyInstanceOf(JacksonJsonHttpMessageConverter.class);
        assertThat(first(converters, c -> c.canWrite(byte[].class, json))).isNotInstanceOf(JacksonJsonHttpMessageConverter.class);
    }

    private static HttpMessageConverter<?> first(List<HttpMessageConverter<?>> converters,
                                                 java.util.function.Predicate<HttpMessageConverter<?>> can) {
        return converters.stream().filter(can).findFirst().orElseThrow();
    }

    @Test
    void aPlainBase64PhotoReachesTheWorkersUnchanged() {
        byte[] photo = new byte[3000];
        new java.util.Random(3).nextBytes(photo);
        System.arraycopy(JPEG, 0, photo, 0, JPEG.length);
        gateway.answer(RecognizeResult.newBuilder().setMatch(null).build());

        HttpAnswer answer = postJson("/api/face/recognize",
                "{\"image_base64\": \"" + Base64.getEncoder().encodeToString(photo) + "\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        ByteBuffer image = gateway.onlyCommand(RecognizeCommand.class).getImage();
        byte[] received = new byte[image.remaining()];
        image.duplicate().get(received);
        assertThat(received).isEqualTo(photo);
    }
}
