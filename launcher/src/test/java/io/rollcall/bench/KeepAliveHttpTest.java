package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load clients' connection reads fixed-length and chunked answers, and reconnects when the server closes. */
class KeepAliveHttpTest {
    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fixed", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Rollcall-Worker", "w-1");
            exchange.getResponseHeaders().add("X-Rollcall-Worker-Ms", "12");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.createContext("/chunked", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(400, 0); // 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"success\":false,".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("\"error_code\":\"INVALID_IMAGE\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/close", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void postsTheBodyAndReadsTheWorkersHeadersAndAFixedLengthAnswer() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp(uri(), null)) {
            HttpLoad.Reply reply = http.post("/fixed", "{\"image_base64\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body().path("success").asBoolean()).isTrue();
            assertThat(reply.worker()).isEqualTo("w-1");
            assertThat(reply.workerMillis()).isEqualTo(12.0);
            assertThat(reply.millis()).isPositive();
        }
        assertThat(received).containsExactly("{\"image_base64\":\"AAAA\"}");
    }

    @Test
    void readsChunkedAnswersAndKeepsUsingTheConnection() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp(uri(), "key")) {
            for (int i = 0; i < 3; i++) {
                HttpLoad.Reply reply = http.post("/chunked", new byte[100_000]);

                assertThat(reply.status()).isEqualTo(400);
                assertThat(reply.body().path("error_code").asString()).isEqualTo("INVALID_IMAGE");
                assertThat(reply.workerMillis()).isNaN();
            }
            assertThat(http.post("/fixed", "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        }
    }

    @Test
    void reconnectsAfterTheServerClosesTheConnection() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp(uri(), null)) {
            assertThat(http.post("/close", new byte[0]).status()).isEqualTo(200);
            assertThat(http.post("/fixed", "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        }
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
