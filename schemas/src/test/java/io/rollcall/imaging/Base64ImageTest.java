package io.rollcall.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.error.RollcallException;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every form clients send decodes to the same bytes, whichever decoder path takes it; bad text is named. */
class Base64ImageTest {
    private static final byte[] IMAGE = new byte[100_001];

    static {
        new Random(9).nextBytes(IMAGE);
    }

    @Test
    void decodesEveryFormToTheSameBytes() {
        String standard = Base64.getEncoder().encodeToString(IMAGE);
        assertThat(Base64Image.decode(standard, IMAGE.length)).isEqualTo(IMAGE);
        assertThat(Base64Image.decode("  " + standard + "\n", IMAGE.length)).isEqualTo(IMAGE);
        assertThat(Base64Image.decode("data:image/jpeg;base64," + standard, IMAGE.length)).isEqualTo(IMAGE);
        assertThat(Base64Image.decode(Base64.getMimeEncoder().encodeToString(IMAGE), IMAGE.length)).isEqualTo(IMAGE);
        assertThat(Base64Image.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(IMAGE), IMAGE.length))
                .isEqualTo(IMAGE);
        assertThat(Base64Image.decode(standard.replace("=", ""), IMAGE.length)).isEqualTo(IMAGE);
    }

    @Test
    void namesTheFirstCharacterThatIsNotBase64() {
        String standard = Base64.getEncoder().encodeToString(IMAGE);
        String bad = standard.substring(0, 1000) + "Ł" + standard.substring(1001);
        assertThatThrownBy(() -> Base64Image.decode(bad, IMAGE.length)).isInstanceOf(RollcallException.class)
                .hasMessage("invalid base64: unexpected character U+0141 at position 1000");
        assertThatThrownBy(() -> Base64Image.decode(standard, IMAGE.length - 1)).isInstanceOf(RollcallException.class)
                .hasMessageContaining("the limit is " + (IMAGE.length - 1));
    }
}
