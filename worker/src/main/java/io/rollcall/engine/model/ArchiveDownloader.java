package io.rollcall.engine.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one archive over http(s) or from a file: URL into {@code target}, resuming from {@code target.part}.
 * The archive appears under {@code target} only once complete and, where pinned, verified.
 */
final class ArchiveDownloader {
    // Content-Range of a 206 ("bytes 100-199/2000") or of a 416 ("bytes */2000").
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    private final HttpClient client;
    private final Duration stallTimeout;

    /**
     * @param client       should follow redirects: GitHub release URLs answer with a redirect to their CDN
     * @param stallTimeout how long to wait for response headers, and for the next bytes of the body
     */
    ArchiveDownloader(HttpClient client, Duration stallTimeout) {
        this.client = client;
        this.stallTimeout = stallTimeout;
    }

    static ArchiveDownloader standard() {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new ArchiveDownloader(client, Duration.ofSeconds(60));
    }

    /**
     * @param expectedSha256 pinned digest of the archive, or {@code null}
     * @param expectedSize   pinned size in bytes, or {@code null}
     * @return {@code target}, complete and verified
     * @throws InstallFailure when the bytes arrived but do not match the pins (the partial file is then deleted)
     * @throws IOException    on network or disk errors; the partial file is kept for the next attempt to resume
     */
    Path download(URI source, String expectedSha256, Long expectedSize, Path target, DownloadProgress progress)
            throws IOException {
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        String item = target.getFileName().toString();
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (expectedSize != null && have > expectedSize) {
            have = 0; // longer than the real archive: not a prefix of it
        }
        // When the server ignores or refuses the range, the body starts at 0 and copy() truncates the part.
        Body body = open(source, have);
        try (InputStream in = body.stream()) {
            copy(in, part, body.offset(), body.total(), item, progress);
        }
        long size = Files.size(part);
        if (body.total() >= 0 && size != body.total()) {
            throw new IOException("Download of " + source + " stopped at " + size + " of " + body.total()
                    + " bytes; run the install again to resume");
        }
        verify(source, part, expectedSha256, expectedSize);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void verify(URI source, Path part, String expectedSha256, Long expectedSize) throws IOException {
        long size = Files.size(part);
        if (expectedSize != null && size != expectedSize) {
            Files.deleteIfExists(part);
            throw new InstallFailure("Archive " + source + " is " + size + " bytes, expected " + expectedSize,
                    Map.of("archive", source.toString(), "expected_size", expectedSize, "actual_size", size));
        }
        if (expectedSha256 != null) {
            String actual = FileHasher.sha256Of(part);
            if (!actual.equals(expectedSha256)) {
                Files.deleteIfExists(part);
                throw new InstallFailure("Archive " + source + " has sha256 " + actual + ", expected " + expectedSha256,
                        Map.of("archive", source.toString(), "expected_sha256", expectedSha256, "actual_sha256", actual));
            }
        }
    }

    /** A response body and where in the archive it starts. */
    private record Body(InputStream stream, long offset, long total) {
    }

    private Body open(URI source, long have) throws IOException {
        String scheme = source.getScheme() == null ? "" : source.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> openFile(Path.of(source), have);
            case "http", "https" -> openHttp(source, have, true);
            default -> throw new InstallFailure("Unsupported archive URL " + source + " (use http, https or file)");
        };
    }

    private static Body openFile(Path file, long have) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No such archive file: " + file);
        }
        long total = Files.size(file);
        long offset = have <= total ? have : 0;
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new Body(Channels.newInputStream(channel), offset, total);
    }

    private Body openHttp(URI source, long have, boolean mayRetry) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(source)
                .timeout(stallTimeout)
                .header("User-Agent", "rollcall-models")
                .GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while connecting to " + source);
        } catch (HttpTimeoutException e) {
            throw new IOException("No response from " + source.getHost() + " within " + stallTimeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            // HttpClient's ConnectException usually has no message of its own: say what failed.
            throw new IOException("Cannot connect to " + source.getHost() + (source.getPort() > 0 ? ":" + source.getPort() : "")
                    + " (" + ModelStore.message(e) + ")", e);
        }
        int status = response.statusCode();
        String contentRange = response.headers().firstValue("Content-Range").orElse("");
        if (status == 200) {
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new Body(response.body(), 0, total);
        }
        if (status == 206) {
            Matcher range = CONTENT_RANGE.matcher(contentRange);
            if (range.matches() && Long.parseLong(range.group(1)) == have) {
                long total = range.group(2).equals("*") ? -1 : Long.parseLong(range.group(2));
                return new Body(response.body(), have, total);
            }
        }
        response.body().close();
        if (status == 416) {
            Matcher unsatisfied = UNSATISFIED_RANGE.matcher(contentRange);
            if (unsatisfied.matches() && Long.parseLong(unsatisfied.group(1)) == have) {
                return new Body(InputStream.nullInputStream(), have, have); // the partial file is already complete
            }
        }
        if ((status == 206 || status == 416) && mayRetry) {
            return openHttp(source, 0, false); // a range we did not ask for, or a stale part: start over
        }
        throw new IOException("HTTP " + status + " from " + source);
    }

    /**
     * Appends the body to {@code part} (or writes it afresh when {@code offset} is 0). A watchdog closes the stream
     * when no byte arrives for {@link #stallTimeout}: HttpClient has no read timeout of its own once the headers
     * are in, and a silent connection would otherwise hang the worker's start for ever.
     */
    private void copy(InputStream in, Path part, long offset, long total, String item, DownloadProgress progress)
            throws IOException {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            long tick = Math.max(10, Math.min(1000, stallTimeout.toMillis() / 4));
            try {
                while (System.nanoTime() - lastProgress.get() < stallTimeout.toNanos()) {
                    Thread.sleep(tick);
                }
                stalled.set(true);
                in.close();
            } catch (InterruptedException | IOException finished) {
                // the copy ended first, or the stream is already closed
            }
        });
        StandardOpenOption mode = offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        long done = offset;
        progress.update(item, done, total);
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
                done += n;
                lastProgress.set(System.nanoTime());
                progress.update(item, done, total);
            }
        } catch (IOException e) {
            if (!stalled.get()) {
                throw e;
            }
        } finally {
            watchdog.interrupt();
        }
        if (stalled.get() && done != total) {
            throw new IOException("Download of " + item + " stalled: no data for " + stallTimeout.toSeconds()
                    + " s after " + done + " bytes; run the install again to resume");
        }
    }
}
