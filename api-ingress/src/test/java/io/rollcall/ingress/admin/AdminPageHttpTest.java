package io.rollcall.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.ingress.HttpAnswer;
import io.rollcall.ingress.IngressHttpTest;
import io.rollcall.schemas.ListResult;
import io.rollcall.schemas.SamplePhotoCommand;
import io.rollcall.schemas.SamplePhotoResult;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The admin page's files and headers, and the photo endpoint's answers. With no key configured (protected mode) the
 * page works for a caller on the server itself, and a caller from the network gets the page but none of the API.
 * 127.0.0.200 is a trusted proxy, so the original client it names is the caller.
 */
@TestPropertySource(properties = "ingress.env.TRUSTED_PROXIES=127.0.0.200")
class AdminPageHttpTest extends IngressHttpTest {

    @Test
    void theBarePathLeadsToThePage() {
        HttpAnswer bare = get("/admin");
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.header("Location")).endsWith("/admin/");
    }

    @Test
    void thePageAndItsFilesComeWithAPolicyThatAllowsOnlyThisOrigin() {
        for (String file : List.of("/admin/", "/admin/index.html", "/admin/admin.js", "/admin/admin.css")) {
            HttpAnswer answer = get(file);
            assertThat(answer.status()).as(file).isEqualTo(200);
            assertThat(answer.header("Content-Security-Policy")).as(file).isEqualTo(AdminPageHeaders.POLICY);
            assertThat(answer.header("X-Frame-Options")).as(file).isEqualTo("DENY");
            assertThat(answer.header("X-Content-Type-Options")).as(file).isEqualTo("nosniff");
        }
        assertThat(get("/admin/").contentType()).startsWith("text/html");
        assertThat(get("/admin/admin.js").contentType()).startsWith("text/javascript");
        assertThat(get("/admin/").body()).contains("<script src=\"admin.js\" defer></script>");
    }

    @Test
    void anUnknownFileIsNotFoundInTheEnvelope() {
        get("/admin/missing.js").assertError(404, ErrorCode.NOT_FOUND);
    }

    @Test
    void inProtectedModeThePageWorksForACallerOnThisMachine() {
        gateway.answer(ListResult.newBuilder().setFaces(List.of()).setTotalCount(0).build());
        assertThat(get("/admin/").status()).isEqualTo(200);
        assertThat(get("/api/face/list/all?page=1&page_size=1").status()).isEqualTo(200);
    }

    @Test
    void inProtectedModeACallerFromTheNetworkGetsThePageButNotTheApi() {
        assertThat(sendFrom(200, request("/admin/").GET(), "X-Forwarded-For", "192.0.2.60").status()).isEqualTo(200);
        sendFrom(200, request("/api/face/list/all").GET(), "X-Forwarded-For", "192.0.2.60").assertError(401, ErrorCode.UNAUTHORIZED);
        sendFrom(200, request("/api/admin/face/sample/7/image").GET(), "X-Forwarded-For", "192.0.2.60")
                .assertError(401, ErrorCode.UNAUTHORIZED);
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void aSamplesPhotoIsServedWithItsOwnTypeAndNeverCached() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0};
        gateway.answer(SamplePhotoResult.newBuilder().setFaceDataId(7).setImage(ByteBuffer.wrap(png)).setMediaType("image/png").build());

        HttpAnswer answer = get("/api/admin/face/sample/7/image");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("image/png");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("Content-Security-Policy")).isEqualTo("default-src 'none'; sandbox");
        assertThat(answer.header("Content-Length")).isEqualTo("10");
        assertThat(gateway.onlyCommand(SamplePhotoCommand.class).getFaceDataId()).isEqualTo(7);
    }

    @Test
    void anUnknownSampleOrOneWithoutAPhotoIsNotFound() {
        gateway.fail(new RollcallException(ErrorCode.PERSON_NOT_FOUND, "No face sample with id 8", Map.of("id", 8L)));
        get("/api/admin/face/sample/8/image").assertError(404, ErrorCode.PERSON_NOT_FOUND);
        gateway.fail(new RollcallException(ErrorCode.NOT_FOUND, "Face sample 9 keeps no photo", Map.of("id", 9L)));
        get("/api/admin/face/sample/9/image").assertError(404, ErrorCode.NOT_FOUND);
    }

    @Test
    void aMalformedSampleIdIsAValidationError() {
        get("/api/admin/face/sample/abc/image").assertValidationError("id");
        assertThat(gateway.calls()).isEmpty();
    }

    @Nested
    @TestPropertySource(properties = {"ingress.env.API_KEYS=staff-key", "ingress.env.ADMIN_API_KEYS=office-key"})
    class WhenKeysAreConfigured {

        @Test
        void thePageNeedsNoKeyButPhotosNeedAnAdminKey() {
            assertThat(get("/admin/").status()).isEqualTo(200);
            get("/api/admin/face/sample/7/image").assertError(401, ErrorCode.UNAUTHORIZED);
            get("/api/admin/face/sample/7/image", "X-API-Key", "staff-key").assertError(403, ErrorCode.FORBIDDEN);
            assertThat(gateway.calls()).isEmpty();
        }
    }
}
