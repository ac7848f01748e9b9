package io.rollcall.bench;

import io.rollcall.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection that posts ready-made JSON bodies and reads the answers, blocking, on the
 * caller's thread. The load clients share the service's two cores: the JDK's {@code HttpClient} hands every request
 * between three threads and added 1.5–2 ms to each round trip (6.0 against 4.2 ms for a 6 KB photo, same service),
 * which {@code ./rollcall load} would have counted as the service's transport. Only what a load test needs: POST,
 * {@code Content-Length} or chunked answers, reconnecting when the server closes.
 */
public final class KeepAliveHttp implements Closeable {
    private static final int TIMEOUT_MS = 60_000;
    private final URI base;
    private final String apiKey;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveHttp(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    public HttpLoad.Reply post(String path, byte[] json) throws IOException {
        if (socket == null) {
            connect();
        }
        StringBuilder head = new StringBuilder(200).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append(':').append(port()).append("\r\nContent-Type: application/json\r\n")
                .append("Content-Length: ").append(json.length).append("\r\n");
        if (apiKey != null && !apiKey.isBlank()) {
            head.append("X-API-Key: ").append(apiKey).append("\r\n");
        }
        head.append("\r\n");
        long start = System.nanoTime();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(json);
        out.flush();
        int status = statusCode(line());
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        String worker = null;
        double workerMillis = Double.NaN;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "x-rollcall-worker" -> worker = value;
                case "x-rollcall-worker-ms" -> workerMillis = Double.parseDouble(value);
                default -> { }
            }
        }
        byte[] body = chunked ? chunks() : in.readNBytes((int) Math.max(0, length));
        double millis = (System.nanoTime() - start) / 1e6;
        if (close) {
            close();
        }
        return new HttpLoad.Reply(status, Json.MAPPER.readTree(body.length == 0 ? "{}".getBytes() : body), millis,
                worker, workerMillis);
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(base.getHost(), port()), 5_000);
        socket.setSoTimeout(TIMEOUT_MS);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    private int port() {
        return base.getPort() > 0 ? base.getPort() : 80;
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int extension = size.indexOf(';');
            int n = Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line();
        }
    }

    private static int statusCode(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer: " + statusLine);
        }
        return Integer.parseInt(parts[1]);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection the server may already have closed
            }
            socket = null;
        }
    }
}
