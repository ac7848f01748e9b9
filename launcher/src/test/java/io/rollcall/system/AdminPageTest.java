package io.rollcall.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.HttpLoad;
import io.rollcall.bench.HttpLoad.Reply;
import io.rollcall.testing.DevData;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page in a real browser (Debian's headless chromium through chromedriver) against the real service:
 * in-process broker, one worker with the dev pack, keys configured. Signs in, lists the people enrolled through the
 * API with their photos, checks a camera frame (Chromium's fake camera) and enrolls from a file after the quality
 * check, recognises a second photo, deletes with confirmation, imports a CSV, shows a day's sessions with one
 * session's attendance and the service's status, in one service start. Each screen is saved as a PNG, photos blurred
 * (into {@code ADMIN_SCREENSHOTS_DIR}, else {@code target/admin-screenshots}); the README's come from here.
 *
 * <p>A missing browser fails the test rather than skipping it: {@code ./rollcall test} installs both packages.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String STAFF_KEY = "staff-" + UUID.randomUUID();
    private static final String ADMIN_KEY = "office-" + UUID.randomUUID();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static RunningService service;
    static HttpLoad office;
    static ChromeDriver browser;
    static WebDriverWait wait;
    static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the admin page's tests need Debian's chromium and chromium-driver (%s, %s): ./rollcall test installs"
                        + " them, or run 'apt-get install -y chromium chromium-driver'", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        String target = System.getenv("ADMIN_SCREENSHOTS_DIR");
        screenshots = Files.createDirectories(Path.of(target == null || target.isBlank() ? "target/admin-screenshots" : target));
        service = new RunningService(dir, 1, Map.of("API_KEYS", STAFF_KEY, "ADMIN_API_KEYS", ADMIN_KEY));
        office = new HttpLoad(service.base, ADMIN_KEY);
        enrollThroughApi("student", "S201", "Kofi Annan", "kofi_annan/01.jpg");
        enrollThroughApi("student", "S202", "Laura Bush", "laura_bush/01.jpg");
        enrollThroughApi("student", "S202", "Laura Bush", "laura_bush/02.jpg");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Root in CI needs --no-sandbox; a fixed size makes the screenshots comparable.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=en-GB",
                // A camera that shows Chromium's test pattern, allowed without asking: the camera path end to end.
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        wait = new WebDriverWait(browser, PATIENCE);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void signsInWithAKeyAndListsThePeopleEnrolledThroughTheApiWithTheirPhotos() throws Exception {
        browser.get(service.base + "/admin");
        assertThat(browser.getCurrentUrl()).endsWith("/admin/");
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        save("sign-in");

        key.sendKeys("not-a-key", Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.id("message"), "UNAUTHORIZED: The API key is not valid. "
                + "Send a valid API key in Authorization: Bearer <key> or X-API-Key"));
        assertThat(browser.findElement(By.id("screen-sign-in")).isDisplayed()).isTrue();

        browser.findElement(By.id("api-key")).sendKeys(ADMIN_KEY, Keys.ENTER);
        wait.until(d -> peopleCodes().equals(List.of("S201", "S202")));
        assertThat(js("return sessionStorage.getItem('rollcall.apiKey')")).isEqualTo(ADMIN_KEY);
        assertThat(js("return localStorage.length")).isEqualTo(0L);
        assertThat(row("S202").findElements(By.tagName("td")).get(4).getText()).isEqualTo("2");
        // Three photos, each fetched with the key and shown from a blob URL.
        wait.until(d -> ((Number) js("return [...document.querySelectorAll('#people-table img')]"
                + ".filter(i => i.complete && i.naturalWidth > 0 && i.src.startsWith('blob:')).length")).intValue() == 3);

        WebElement search = browser.findElement(By.id("people-search"));
        search.sendKeys("laura");
        wait.until(d -> peopleCodes().equals(List.of("S202")));
        save("people");
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        wait.until(d -> peopleCodes().size() == 2);

        browser.manage().window().setSize(new Dimension(768, 1024)); // a tablet, upright
        save("people-tablet");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    @Order(2)
    void enrollsFromAFileShowingTheQualityVerdictFirst() throws Exception {
        nav("enroll");
        new Select(browser.findElement(By.id("enroll-type"))).selectByValue("teacher");
        browser.findElement(By.id("enroll-code")).sendKeys("T201");
        browser.findElement(By.id("enroll-name")).sendKeys("Hugo Chavez");
        assertThat(browser.findElement(By.id("enroll-submit")).isEnabled()).isFalse();

        // The camera: a frame is taken and checked like a file. The fake camera's test pattern holds no face.
        browser.findElement(By.cssSelector(".camera-start[data-target='enroll']")).click();
        wait.until(d -> ((Number) js("return document.getElementById('enroll-video').videoWidth")).intValue() > 0);
        browser.findElement(By.id("enroll-capture")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("enroll-verdict"), "data-recommendation", "no_face_detected"));
        assertThat(browser.findElement(By.id("enroll-verdict")).getText()).startsWith("Not suitable: no face detected");
        assertThat(js("return document.getElementById('enroll-preview').src.startsWith('data:image/jpeg;base64,')")).isEqualTo(true);

        browser.findElement(By.id("enroll-file")).sendKeys(file("hugo_chavez/01.jpg"));
        wait.until(ExpectedConditions.attributeToBe(By.id("enroll-verdict"), "data-recommendation", "suitable_for_enrollment"));
        WebElement verdict = browser.findElement(By.id("enroll-verdict"));
        assertThat(verdict.getText()).startsWith("Suitable for enrollment (quality ");
        assertThat(browser.findElement(By.id("enroll-quality")).getText()).contains("Faces found\n1")
                .containsPattern("Face size\n[a-z ]+ \\(\\d+ px wide\\)").doesNotContain("NaN");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("enroll-submit")));
        save("enroll");

        browser.findElement(By.id("enroll-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("message"), "Face enrolled successfully: teacher T201 now has 1 photo(s)."));
        Reply teachers = office.get("/api/face/list/teacher");
        assertThat(teachers.body().path("faces").get(0).path("person_code").asString()).isEqualTo("T201");
        assertThat(teachers.body().path("faces").get(0).path("person_name").asString()).isEqualTo("Hugo Chavez");

        nav("people");
        wait.until(d -> peopleCodes().equals(List.of("S201", "S202", "T201")));
    }

    @Test
    @Order(3)
    void recognisesAnotherPhotoShowingTheBoxTheMatchAndTheScoreAgainstTheThreshold() throws Exception {
        nav("recognize");
        browser.findElement(By.id("recognize-file")).sendKeys(file("hugo_chavez/02.jpg"));
        WebElement match = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#recognize-result p.match")));
        assertThat(match.getDomAttribute("data-code")).isEqualTo("T201");
        // SIMILARITY_THRESHOLD=0.4 in RunningService; the page reads it from health.
        assertThat(match.getText()).matches("Face 1: Hugo Chavez \\(teacher T201\\), similarity 0\\.\\d{3} against the threshold"
                + " 0\\.400, confidence 0\\.\\d\\d");
        double score = Double.parseDouble(match.getText().replaceAll(".*similarity (0\\.\\d{3}).*", "$1"));
        assertThat(score).isGreaterThanOrEqualTo(0.4);
        // The photo was drawn at its own size, and the face's box on it in the colour of a match.
        int width = ImageIO.read(DevData.photo("hugo_chavez/02.jpg").toFile()).getWidth();
        assertThat(((Number) js("return document.getElementById('recognize-canvas').width")).intValue()).isEqualTo(width);
        assertThat(js("const [x1, y1, x2, y2] = JSON.parse(document.querySelector('#recognize-result p.match').dataset.box);"
                + " const p = document.getElementById('recognize-canvas').getContext('2d')"
                + ".getImageData(x1, Math.round((y1 + y2) / 2), 1, 1).data; return [p[0], p[1], p[2]];"))
                .isEqualTo(List.of(0x1eL, 0x7bL, 0x34L));
        save("recognize");
    }

    @Test
    @Order(4)
    void deletesAPersonOnlyAfterConfirmation() throws Exception {
        nav("people");
        wait.until(d -> peopleCodes().contains("S201"));
        row("S201").findElement(By.className("delete-person")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertThat(dialog.getText()).contains("Delete Kofi Annan (student S201) and all 1 photo(s)?");
        // The safe choice has the focus, and Escape cancels: nothing is deleted.
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("confirm-cancel");
        save("delete-confirm");
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOf(dialog));
        assertThat(office.get("/api/face/list/student").body().path("total_count").asInt()).isEqualTo(2);

        row("S201").findElement(By.className("delete-person")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("message"), "Deleted S201: 1 sample(s)."));
        wait.until(d -> peopleCodes().equals(List.of("S202", "T201")));
        assertThat(office.get("/api/face/list/student").body().path("faces").findValuesAsString("person_code"))
                .containsExactly("S202");
    }

    @Test
    @Order(5)
    void importsACsvWithLiveProgressAndTheFailedRows() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("import/day1"));
        Files.copy(DevData.photo("george_clooney/01.jpg"), photos.resolve("S301.jpg"));
        Path csv = dir.resolve("photo-day.csv");
        Files.writeString(csv, """
                person_type,person_code,person_name,image_path
                student,S301,George Clooney,day1/S301.jpg
                student,S302,Not Here,day1/S302.jpg
                """);
        nav("bulk");
        // A CSV with an invalid row is refused whole, nothing queued, and the page lists the row.
        Path refused = dir.resolve("refused.csv");
        Files.writeString(refused, "person_type,person_code,person_name,image_path\nparent,P1,Nobody,day1/S301.jpg\n");
        browser.findElement(By.id("bulk-file")).sendKeys(refused.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("#bulk-form button[type=submit]")).click();
        wait.until(d -> browser.findElement(By.id("message")).getText().startsWith("VALIDATION_ERROR: "));
        List<String> invalid = browser.findElements(By.cssSelector("#bulk-failures tbody td")).stream().map(WebElement::getText).toList();
        assertThat(invalid.subList(0, 3)).containsExactly("2", "", "VALIDATION_ERROR");
        assertThat(invalid.get(3)).startsWith("person_type: ");

        browser.findElement(By.id("bulk-file")).sendKeys(csv.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("#bulk-form button[type=submit]")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("bulk-summary"), "data-status", "completed"));
        assertThat(browser.findElement(By.id("bulk-summary")).getText())
                .isEqualTo("completed: 2 of 2 rows done, 1 enrolled, 1 failed");
        assertThat(browser.findElement(By.id("message")).getText()).isEqualTo("Import completed: 1 enrolled, 1 failed (listed below).");
        assertThat(js("return document.getElementById('bulk-progress').value")).isEqualTo(2L);
        List<WebElement> failed = browser.findElements(By.cssSelector("#bulk-failures tbody td"));
        assertThat(failed.stream().map(WebElement::getText).toList().subList(0, 3)).containsExactly("3", "S302", "VALIDATION_ERROR");
        save("bulk-import");
    }

    @Test
    @Order(6)
    void showsADaysSessionsAndTheAttendanceOfOne() throws Exception {
        LocalDateTime start = LocalDateTime.now().withNano(0); // so the door's recognition just after is Present
        long session;
        try (Connection db = DriverManager.getConnection(service.env.get("DATABASE_URL"));
             PreparedStatement insert = db.prepareStatement("INSERT INTO Sessions (Name, StartTime) VALUES (?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, "Form 7B, first period");
            insert.setObject(2, start);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                session = keys.getLong(1);
            }
        }
        Map<String, Object> door = new java.util.LinkedHashMap<>(HttpLoad.recognizeBody(DevData.bytes("laura_bush/03.jpg")));
        door.put("session_id", session);
        Reply recognised = office.post("/api/face/recognize", door);
        assertThat(recognised.body().path("attendance").path("status").asString()).as(recognised.body().toString()).isEqualTo("Present");

        // The screen opens on the chosen day (empty: today in the school's calendar); chosen here in case midnight has passed.
        js("document.getElementById('sessions-date').value = '" + start.toLocalDate() + "'");
        nav("sessions");
        wait.until(d -> browser.findElements(By.cssSelector("#sessions-table tr[data-session='" + session + "']")).size() == 1);
        WebElement row = browser.findElement(By.cssSelector("#sessions-table tr[data-session='" + session + "']"));
        assertThat(row.findElements(By.tagName("td")).get(2).getText()).isEqualTo("1");
        row.findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("attendance-title"), "Attendance of session " + session));
        List<String> record = browser.findElements(By.cssSelector("#attendance-table tbody td")).stream().map(WebElement::getText).toList();
        assertThat(record.subList(0, 3)).containsExactly("S202", "Laura Bush", "Present");
        save("sessions");
    }

    @Test
    @Order(7)
    void showsTheServiceStatusFromTheApi() throws Exception {
        nav("status");
        wait.until(ExpectedConditions.attributeToBe(By.id("status-summary"), "data-status", "healthy"));
        String summary = browser.findElement(By.id("status-summary")).getText();
        assertThat(summary).contains("Model pack\ndev (loaded)").contains("Gallery\n4 face sample(s)").contains("Answered by\nworker-1");
        assertThat(browser.findElement(By.cssSelector("#status-workers tbody td")).getText()).isEqualTo("worker-1");
        save("status");
    }

    @Test
    @Order(8)
    void servesPhotosToAdminKeysOnlyAndThePageUnderAStrictPolicy() throws Exception {
        long sample = office.get("/api/face/list/student?per_sample=true").body().path("faces").get(0).path("id").asLong();
        String photo = "/api/admin/face/sample/" + sample + "/image";
        HttpResponse<byte[]> anonymous = raw(photo, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(new String(anonymous.body())).contains("\"error_code\":\"UNAUTHORIZED\"");
        HttpResponse<byte[]> staff = raw(photo, STAFF_KEY);
        assertThat(staff.statusCode()).isEqualTo(403);
        assertThat(new String(staff.body())).contains("\"error_code\":\"FORBIDDEN\"");
        HttpResponse<byte[]> admin = raw(photo, ADMIN_KEY);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(admin.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(admin.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(admin.body()).isEqualTo(DevData.bytes("laura_bush/01.jpg"));
        HttpResponse<byte[]> unknown = raw("/api/admin/face/sample/999999/image", ADMIN_KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new String(unknown.body())).contains("\"error_code\":\"PERSON_NOT_FOUND\"");
        assertThat(raw("/api/admin/face/sample/x/image", ADMIN_KEY).statusCode()).isEqualTo(400);

        for (String page : List.of("/admin/", "/admin/admin.js", "/admin/admin.css")) {
            HttpResponse<byte[]> file = raw(page, null); // the page itself holds no data and needs no key
            assertThat(file.statusCode()).as(page).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Security-Policy")).as(page).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("script-src 'self';").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        }
        String html = new String(raw("/admin/", null).body());
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("style=").doesNotContain("http://")
                .doesNotContain("https://");
        // The exemption from keys covers the page's own files only: a path that leaves it reaches no endpoint.
        HttpResponse<byte[]> escape = raw("/admin/../api/face/list/all", null);
        assertThat(escape.statusCode()).isEqualTo(404);
        assertThat(new String(escape.body())).contains("\"error_code\":\"NOT_FOUND\"").doesNotContain("faces");
    }

    private static void enrollThroughApi(String type, String code, String name, String photo) throws Exception {
        Reply r = office.post("/api/face/enroll", HttpLoad.enrollBody(type, code, name, DevData.bytes(photo)));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    private static HttpResponse<byte[]> raw(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.base + path)).timeout(PATIENCE).GET();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private static void nav(String screen) {
        browser.findElement(By.cssSelector("#nav button[data-screen='" + screen + "']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("screen-" + screen)));
    }

    /** Read in one script: the table is redrawn whenever the list reloads, so rows found earlier may be gone. */
    @SuppressWarnings("unchecked")
    private static List<String> peopleCodes() {
        return (List<String>) js("return [...document.querySelectorAll('#people-table tbody tr')].map(r => r.dataset.code)");
    }

    private static WebElement row(String code) {
        return browser.findElement(By.cssSelector("#people-table tbody tr[data-code='" + code + "']"));
    }

    private static String file(String photo) {
        return DevData.photo(photo).toAbsolutePath().toString();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /**
     * Saves the screen with every photo blurred: the dev photos are third-party pictures that the repository must not
     * carry, even as thumbnails. Set through the style property, which the page's policy allows, and taken off after.
     */
    private static void save(String name) throws IOException {
        String photos = "document.querySelectorAll('img, canvas, video').forEach(e => e.style.filter = ";
        js(photos + "'blur(20px)')");
        Files.write(screenshots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        js(photos + "'')");
    }
}
