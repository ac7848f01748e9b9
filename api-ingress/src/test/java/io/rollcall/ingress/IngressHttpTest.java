package io.rollcall.ingress;

import io.rollcall.ingress.http.IngressSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * A real ingress on a random port, its workers replaced by {@link FakeFaceGateway}, called over HTTP with the
 * JDK's client. Subclasses change settings with {@code @TestPropertySource(properties = "ingress.env.NAME=value")}.
 */
@SpringBootTest(classes = TestIngressApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestIngressSettings.class)
public abstract class IngressHttpTest {
    /** The start of a JPEG file; the ingress passes image bytes on without decoding them. */
    protected static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1};
    protected static final String JPEG_BASE64 = Base64.getEncoder().encodeToString(JPEG);
    protected static final String JPEG_DATA_URL = "data:image/jpeg;base64," + JPEG_BASE64;
    protected static final String PNG_DATA_URL = "data:image/png;base64," + Base64.getEncoder().encodeToString(
            new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    private int port;

    @Autowired
    protected FakeFaceGateway gateway;

    @BeforeEach
    void forgetEarlierCalls() {
        gateway.reset();
    }

    protected HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofMinutes(1));
    }

    protected HttpAnswer get(String path, String... headers) {
        return send(request(path).GET(), headers);
    }

    protected HttpAnswer postJson(String path, String json, String... headers) {
        return send(request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)), headers);
    }

    protected HttpAnswer deleteJson(String path, String json, String... headers) {
        return send(request(path).header("Content-Type", "application/json").method("DELETE", BodyPublishers.ofString(json)), headers);
    }

    protected HttpAnswer delete(String path, String... headers) {
        return send(request(path).DELETE(), headers);
    }

    protected HttpAnswer send(String method, String path, BodyPublisher body, String... headers) {
        return send(request(path).method(method, body), headers);
    }

    /** @param headers name, value, name, value, ... */
    protected HttpAnswer send(HttpRequest.Builder request, String... headers) {
        return send(CLIENT, request, headers);
    }

    /** Sends from another loopback address (127.0.0.{@code n}), which the ingress sees as another client. */
    protected HttpAnswer sendFrom(int n, HttpRequest.Builder request, String... headers) {
        return sendFrom("127.0.0." + n, request, headers);
    }

    /** Sends from {@code loopbackAddress}, any of 127.0.0.0/8. */
    protected HttpAnswer sendFrom(String loopbackAddress, HttpRequest.Builder request, String... headers) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.ofLiteral(loopbackAddress)).build()) {
            return send(client, request, headers);
        }
    }

    private static HttpAnswer send(HttpClient client, HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            var response = client.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new HttpAnswer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string literal, quotes included. */
    protected static String quoted(String text) {
        return io.rollcall.json.Json.MAPPER.writeValueAsString(text);
    }
}
