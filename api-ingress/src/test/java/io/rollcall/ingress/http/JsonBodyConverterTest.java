package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.json.Json;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;

/** Photos are decoded while the JSON is parsed when they are plain base64; every other input reads as before. */
class JsonBodyConverterTest {
    private static final long LIMIT = 20_000;
    private static final byte[] PHOTO = photo(12_345);
    private static final String PLAIN = Base64.getEncoder().encodeToString(PHOTO);
    private final JsonBodyConverter converter = new JsonBodyConverter(Json.MAPPER, LIMIT);

    record Probe(ImageText imageBase64, String sourceImageName) {
    }

    record Batch(List<Probe> items) {
    }

    @Test
    void plain_base64_is_decoded_while_parsing_into_exactly_the_photo() throws Exception {
        Probe probe = read("{\"image_base64\": \"" + PLAIN + "\", \"source_image_name\": \"door.jpg\"}");

        assertThat(probe.imageBase64().text()).isNull();
        assertThat(bytes(probe.imageBase64().decoded())).isEqualTo(PHOTO);
        assertThat(probe.sourceImageName()).isEqualTo("door.jpg");
        assertThat(bytes(Fields.image("image_base64", probe.imageBase64(), LIMIT))).isEqualTo(PHOTO);
    }

    @Test
    void photos_in_a_list_are_decoded_each() throws Exception {
        Batch batch = read(Batch.class, "{\"items\": [{\"image_base64\": \"" + PLAIN + "\"}, {\"image_base64\": \""
                + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4}) + "\"}]}");

        assertThat(bytes(batch.items().get(0).imageBase64().decoded())).isEqualTo(PHOTO);
        assertThat(bytes(batch.items().get(1).imageBase64().decoded())).containsExactly(1, 2, 3, 4);
    }

    @Test
    void a_data_url_line_breaks_inside_a_group_and_the_url_safe_alphabet_are_read_as_text_and_decode_the_same() throws Exception {
        String dataUrl = "data:image/jpeg;base64," + PLAIN;
        String brokenLines = PLAIN.replaceAll("(.{61})", "$1\\\\n");
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(PHOTO);
        for (String text : List.of(dataUrl, brokenLines, urlSafe)) {
            Probe probe = read("{\"image_base64\": \"" + text + "\"}");

            assertThat(probe.imageBase64().decoded()).as(text.substring(0, 30)).isNull();
            assertThat(bytes(Fields.image("image_base64", probe.imageBase64(), LIMIT))).isEqualTo(PHOTO);
        }
        assertThat(read("{\"image_base64\": \"" + dataUrl + "\"}").imageBase64().text()).isEqualTo(dataUrl);
    }

    @Test
    void what_a_lenient_decoder_would_take_goes_to_the_text_path_and_gets_its_error_there() throws Exception {
        // Padding between groups, and whitespace or an escaped control character between groups: a lenient decoder
        // (Jackson's) would take them; the text path names the character, as it did before photos were decoded
        // while parsing.
        String interiorPadding = PLAIN.substring(0, 2) + "==" + PLAIN.substring(4);
        String escapedControl = PLAIN.substring(0, 4) + "\\u0001" + PLAIN.substring(4);
        for (String text : List.of(interiorPadding, escapedControl)) {
            Probe probe = read("{\"image_base64\": \"" + text + "\"}");

            assertThat(probe.imageBase64().decoded()).isNull();
            assertThatThrownBy(() -> Fields.image("image_base64", probe.imageBase64(), LIMIT))
                    .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE));
        }
        String spaced = PLAIN.substring(0, 8) + " " + PLAIN.substring(8);
        Probe probe = read("{\"image_base64\": \"" + spaced + "\"}");
        assertThat(probe.imageBase64().decoded()).isNull();
        assertThat(bytes(Fields.image("image_base64", probe.imageBase64(), LIMIT))).isEqualTo(PHOTO);
    }

    @Test
    void escaped_slashes_and_missing_padding_are_read_as_text_and_decode_the_same() throws Exception {
        // "\/" is JSON for "/", which some encoders always write; unpadded text would also pass the JDK's decoder.
        String slashes = "+/+/" + PLAIN;
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(photo(5));
        Map<String, byte[]> decodesTo = Map.of(slashes.replace("/", "\\/"), Base64.getDecoder().decode(slashes), unpadded, photo(5));
        for (Map.Entry<String, byte[]> e : decodesTo.entrySet()) {
            Probe probe = read("{\"image_base64\": \"" + e.getKey() + "\"}");

            assertThat(probe.imageBase64().decoded()).as(e.getKey().substring(0, 7)).isNull();
            assertThat(bytes(Fields.image("image_base64", probe.imageBase64(), LIMIT))).isEqualTo(e.getValue());
        }
    }

    @Test
    void the_closing_quote_is_found_at_every_offset_and_only_a_quote_ends_the_search() {
        for (int length = 0; length < 40; length++) {
            for (int at = 0; at < length; at++) {
                byte[] b = new byte[length];
                // Bytes next to a quote's value, and with the high bit set, must not be taken for it.
                java.util.Arrays.fill(b, (byte) 0xA2);
                for (int i = 0; i < at; i += 3) {
                    b[i] = (byte) ('"' + 1);
                }
                b[at] = '"';
                for (int from = 0; from <= at; from++) {
                    assertThat(ImageText.Reader.indexOfQuote(b, from)).as("length %d, quote at %d, from %d", length, at, from).isEqualTo(at);
                }
                assertThat(ImageText.Reader.indexOfQuote(b, at + 1)).isEqualTo(-1);
            }
        }
    }

    @Test
    void a_padded_photo_is_decoded_while_parsing() throws Exception {
        for (int size : new int[] {1, 2, 3, 4, 5}) {
            byte[] small = photo(size);
            Probe probe = read("{\"image_base64\": \"" + Base64.getEncoder().encodeToString(small) + "\"}");

            assertThat(bytes(probe.imageBase64().decoded())).as("%d bytes", size).isEqualTo(small);
        }
    }

    @Test
    void a_photo_over_the_limit_is_left_to_the_text_path_which_reports_its_exact_size() throws Exception {
        byte[] large = photo((int) LIMIT + 1);
        Probe probe = read("{\"image_base64\": \"" + Base64.getEncoder().encodeToString(large) + "\"}");

        assertThat(probe.imageBase64().decoded()).isNull();
        assertThatThrownBy(() -> Fields.image("image_base64", probe.imageBase64(), LIMIT))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
                    assertThat(e.details()).containsEntry("bytes", LIMIT + 1).containsEntry("field", "image_base64");
                });
        // The last guard on a decoded photo answers as the text path does.
        ImageText decoded = new ImageText(ByteBuffer.wrap(large), null);
        assertThatThrownBy(() -> Fields.image("image_base64", decoded, LIMIT))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
                    assertThat(e.getMessage()).isEqualTo("image_base64: image is " + (LIMIT + 1) + " bytes; the limit is " + LIMIT + " bytes");
                    assertThat(e.details()).containsEntry("bytes", LIMIT + 1).containsEntry("field", "image_base64");
                });
    }

    @Test
    void a_bad_character_empty_text_and_a_number_keep_their_errors() throws Exception {
        Probe bad = read("{\"image_base64\": \"" + PLAIN.substring(0, 100) + "*" + PLAIN.substring(101) + "\"}");
        assertThatThrownBy(() -> Fields.image("image_base64", bad.imageBase64(), LIMIT))
                .isInstanceOfSatisfying(RollcallException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE);
                    assertThat(e.getMessage()).isEqualTo("image_base64: invalid base64: unexpected character U+002A at position 100");
                });
        Probe empty = read("{\"image_base64\": \"\"}");
        assertThat(empty.imageBase64().text()).isEmpty();
        assertThatThrownBy(() -> Fields.image("image_base64", empty.imageBase64(), LIMIT))
                .isInstanceOfSatisfying(RollcallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThat(read("{\"image_base64\": 123}").imageBase64().text()).isEqualTo("123");
        assertThat(read("{\"image_base64\": null}").imageBase64()).isNull();
    }

    @Test
    void malformed_json_and_a_photo_given_as_an_object_are_spring_parse_errors() {
        assertThatThrownBy(() -> read("{\"image_base64\": \"" + PLAIN)).isInstanceOf(HttpMessageNotReadableException.class);
        assertThatThrownBy(() -> read("{\"image_base64\": {\"a\": 1}}")).isInstanceOf(HttpMessageNotReadableException.class);
    }

    private Probe read(String json) throws Exception {
        return read(Probe.class, json);
    }

    private <T> T read(Class<T> type, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(body.length);
        HttpInputMessage input = new HttpInputMessage() {
            @Override
            public java.io.InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
        return type.cast(converter.read(ResolvableType.forClass(type), input, null));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static byte[] photo(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
