package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which requests are an administrator's: the one list the key check, the tests and the README follow. */
class ApiPathsTest {

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
            "DELETE, /api/face/delete, true",
            "DELETE, /api/admin/face/7, true",
            "DELETE, /api/face/sample/7, true",
            "DELETE, /api/anything/else, true",
            "POST, /api/face/bulk-import, true",
            "GET, /api/face/bulk-import/3f2c, false",
            "GET, /api/admin/migration, true",
            "POST, /api/admin/migration/12/rollback, true",
            "OPTIONS, /api/admin, true",
            "POST, /api/face/enroll, false",
            "POST, /api/face/batch-enroll, false",
            "GET, /api/face/list/all, false",
            "GET, /api/administration, false",
            "GET, /api/admin/face/sample/7/image, true",
            "GET, /api/sessions/3/attendance, false",
    })
    void classifiesEveryKindOfRequest(String method, String path, boolean admin) {
        assertThat(ApiPaths.isAdminOperation(method, path)).isEqualTo(admin);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "/admin, true",
            "/admin/, true",
            "/admin/admin.js, true",
            "/api/admin/face/7, false",
            "/administrator, false",
            "/api/face/list/all, false",
    })
    void theAdminPagesFilesAreOnlyThoseUnderAdmin(String path, boolean page) {
        assertThat(ApiPaths.isAdminPage(path)).isEqualTo(page);
    }
}
