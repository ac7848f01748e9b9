package io.rollcall.engine.model;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server for archives that answers Range requests as GitHub's CDN does (206 with Content-Range, 416
 * past the end), and can be told to ignore ranges, redirect, or stall mid-body. It records every request.
 */
final class ArchiveServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /** One request as the server saw it. */
    record Request(String path, String range, int status, long bytesSent) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile boolean honourRange = true;
    /** When non-negative: send this many body bytes, then hang until the server stops. */
    volatile long stallAfter = -1;

    private ArchiveServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static ArchiveServer start() throws IOException {
        return new ArchiveServer();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void serve(String path, byte[] bytes) {
        files.put(path, bytes);
    }

    void redirect(String from, String to) {
        redirects.put(from, to);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requestsFor(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        try (exchange) {
            String target = redirects.get(path);
            if (target != null) {
                exchange.getResponseHeaders().set("Location", target);
                exchange.sendResponseHeaders(302, -1);
                requests.add(new Request(path, range, 302, 0));
                return;
            }
            byte[] body = files.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                requests.add(new Request(path, range, 404, 0));
                return;
            }
            int status = 200;
            int from = 0;
            int to = body.length - 1;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (honourRange && m != null && m.matches()) {
                from = Integer.parseInt(m.group(1));
                if (from >= body.length) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                    exchange.sendResponseHeaders(416, -1);
                    requests.add(new Request(path, range, 416, 0));
                    return;
                }
                if (!m.group(2).isEmpty()) {
                    to = Math.min(to, Integer.parseInt(m.group(2)));
                }
                status = 206;
                exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
            }
            int length = to - from + 1;
            exchange.sendResponseHeaders(status, length);
            long limit = stallAfter;
            int send = limit >= 0 ? (int) Math.min(length, limit) : length;
            requests.add(new Request(path, range, status, send));
            OutputStream out = exchange.getResponseBody();
            out.write(body, from, send);
            out.flush();
            if (send < length) {
                Thread.sleep(60_000); // interrupted by close()
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        server.stop(0);
    }
}
