package io.rollcall.backup;

import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.json.Json;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backup file's contents: a ZIP archive, sealed by {@link SealedOutputStream}, holding one
 * {@code tables/<Table>.jsonl} entry per {@link BackupTable} (one JSON object per row) and, last,
 * {@link BackupManifest} with every entry's SHA-256 and row count. ZIP because it is the one container every
 * platform opens: decrypted (a documented format), the archive is readable without Rollcall.
 */
final class BackupArchive {
    /**
     * Rows are streamed, never held as a tree; a string may be a legacy photo in base64, so Jackson's 20 M default
     * is raised, but not beyond what a heap of 1 GiB holds a few of.
     */
    private static final JsonMapper ROWS = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(96 << 20).build())
                    .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                    .build())
            .build();

    private BackupArchive() {
    }

    /** Writes the archive into a sealed stream: {@link #table} for each table in order, then {@link #finish}. */
    static final class Writer implements AutoCloseable {
        private final SealedOutputStream sealed;
        private final ZipOutputStream zip;
        private final List<BackupManifest.Entry> entries = new ArrayList<>();
        private boolean finished;

        Writer(OutputStream file, BackupKey key, int iterations) throws IOException {
            this.sealed = new SealedOutputStream(file, key, iterations, SealedHeader.DEFAULT_CHUNK_SIZE);
            this.zip = new ZipOutputStream(sealed);
        }

        /** The entry of {@code table}; close the returned writer before starting the next. */
        TableWriter table(BackupTable table) throws IOException {
            zip.putNextEntry(new ZipEntry(table.entryName()));
            return new TableWriter(table, new HashingOutput(zip));
        }

        /** A table's rows, each written as one line. */
        final class TableWriter implements AutoCloseable {
            private final BackupTable table;
            private final HashingOutput out;
            private final JsonGenerator json;
            private long rows;

            private TableWriter(BackupTable table, HashingOutput out) {
                this.table = table;
                this.out = out;
                this.json = ROWS.createGenerator(out);
            }

            void row(Object[] row) {
                Rows.write(json, table, row);
                json.writeRaw('\n');
                rows++;
            }

            @Override
            public void close() throws IOException {
                json.close();
                zip.closeEntry();
                entries.add(new BackupManifest.Entry(table.entryName(), table.sqlName(), rows, out.bytes, out.hex()));
            }
        }

        /** Writes the manifest and seals the file. */
        BackupManifest finish(String createdAt, String sourceDatabase, boolean images, boolean logs,
                              Map<String, Long> modelPacks) throws IOException {
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, BackupManifest.VERSION, createdAt,
                    sourceDatabase, images, logs, modelPacks, List.copyOf(entries));
            zip.putNextEntry(new ZipEntry(BackupManifest.ENTRY_NAME));
            zip.write(Json.PRETTY.writeValueAsBytes(manifest));
            zip.closeEntry();
            zip.close();
            finished = true;
            return manifest;
        }

        /** Without {@link #finish}: closes the file unsealed, never complete (the caller deletes it too). */
        @Override
        public void close() throws IOException {
            if (!finished) {
                sealed.abandon();
            }
        }
    }

    /** What a reader does with the rows, table by table in restore order. */
    interface RowVisitor {
        void row(BackupTable table, Object[] row);
    }

    /**
     * Reads and authenticates a whole backup, handing every row to {@code visitor}, and checks every entry against
     * the manifest. A visitor must be able to undo what it did when this throws (a restore's transaction).
     *
     * @throws RollcallException BACKUP_KEY_WRONG, BACKUP_TRUNCATED, BACKUP_CORRUPT or BACKUP_UNSUPPORTED, and
     *                           VALIDATION_ERROR when the file cannot be read
     */
    static BackupManifest read(Path file, BackupKey key, RowVisitor visitor) {
        try (InputStream in = Files.newInputStream(file);
             ZipInputStream zip = new ZipInputStream(new SealedInputStream(new BufferedInputStream(in, 1 << 16), key))) {
            Map<String, String[]> seen = new HashMap<>();
            BackupManifest manifest = null;
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (manifest != null) {
                    throw corrupt("an entry follows the manifest");
                }
                if (entry.getName().equals(BackupManifest.ENTRY_NAME)) {
                    manifest = parseManifest(zip.readNBytes(1 << 20));
                    continue;
                }
                BackupTable table = BackupTable.byEntryName(entry.getName());
                if (table == null || seen.containsKey(entry.getName())) {
                    throw unsupported("unexpected entry " + entry.getName());
                }
                HashingInput hashing = new HashingInput(zip);
                long rows = 0;
                try (JsonParser json = ROWS.createParser(hashing)) {
                    for (Object[] row; (row = Rows.next(json, table)) != null; rows++) {
                        visitor.row(table, row);
                    }
                }
                hashing.skip(Long.MAX_VALUE); // anything after the last row is hashed too
                seen.put(entry.getName(), new String[] {hashing.hex(), Long.toString(rows)});
            }
            if (manifest == null) {
                throw corrupt("the manifest is missing");
            }
            check(manifest, seen);
            return manifest;
        } catch (NoSuchFileException e) {
            throw new RollcallException(ErrorCode.VALIDATION_ERROR, "No backup file at " + file, Map.of("field", "file"));
        } catch (ZipException e) {
            // Authenticated bytes that are no valid archive: written by something other than Rollcall's writer.
            throw unsupported("not a valid archive inside (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static BackupManifest parseManifest(byte[] bytes) {
        BackupManifest manifest;
        try {
            manifest = Json.MAPPER.readValue(bytes, BackupManifest.class);
        } catch (JacksonException e) {
            throw unsupported("unreadable manifest");
        }
        if (!BackupManifest.FORMAT.equals(manifest.format()) || manifest.formatVersion() != BackupManifest.VERSION
                || manifest.entries() == null) {
            throw new RollcallException(ErrorCode.BACKUP_UNSUPPORTED, "Backup format " + manifest.format() + " version "
                    + manifest.formatVersion() + " is not one this Rollcall reads (" + BackupManifest.FORMAT + " "
                    + BackupManifest.VERSION + ")", Map.of("reason", "version"));
        }
        return manifest;
    }

    private static void check(BackupManifest manifest, Map<String, String[]> seen) {
        if (manifest.entries().size() != seen.size()) {
            throw corrupt("the manifest lists " + manifest.entries().size() + " tables, the archive holds " + seen.size());
        }
        for (BackupManifest.Entry e : manifest.entries()) {
            String[] found = seen.get(e.name());
            if (found == null || !found[0].equals(e.sha256()) || Long.parseLong(found[1]) != e.rows()) {
                throw corrupt("entry " + e.name() + " does not match its SHA-256 or row count in the manifest");
            }
        }
    }

    private static RollcallException corrupt(String what) {
        return new RollcallException(ErrorCode.BACKUP_CORRUPT, "The backup is damaged: " + what
                + "; nothing is restored from it", Map.of("reason", "manifest"));
    }

    private static RollcallException unsupported(String what) {
        return new RollcallException(ErrorCode.BACKUP_UNSUPPORTED, "Not a backup this Rollcall reads: " + what,
                Map.of("reason", "content"));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Hashes and counts what passes, and leaves the archive open when closed. */
    private static final class HashingOutput extends FilterOutputStream {
        private final MessageDigest digest = sha256();
        private long bytes;

        HashingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            bytes += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Hashes what is read, and leaves the archive open when closed. */
    private static final class HashingInput extends FilterInputStream {
        private final MessageDigest digest = sha256();

        HashingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
            }
            return n;
        }

        /** Through {@link #read}, so that skipped bytes are hashed too. */
        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[8192];
            long skipped = 0;
            for (int r; skipped < n && (r = read(sink, 0, (int) Math.min(sink.length, n - skipped))) > 0; ) {
                skipped += r;
            }
            return skipped;
        }

        @Override
        public void close() {
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
