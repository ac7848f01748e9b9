package io.rollcall.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.person.PersonRef;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index written to a snapshot and read back answers every search exactly as before, across many blocks. */
class GalleryIndexSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void readsBackASmallGalleryOfFullSizeRows() throws IOException {
        Random random = new Random(6);
        GalleryIndex written = new GalleryIndex(512);
        for (long id = 1; id <= 3; id++) {
            written.add(id, PersonRef.student("P" + id), TestVectors.gaussian(random, 512));
        }
        Path file = dir.resolve("small");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(new byte[21]));
            written.writeSnapshot(out);
        }
        GalleryIndex read = new GalleryIndex(512);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            in.position(21);
            read.readSnapshot(in);
        }
        assertThat(read.size()).isEqualTo(3);
    }

    @Test
    void readsBackWhatItWroteRowForRow() throws IOException {
        Random random = new Random(5);
        GalleryIndex written = TestVectors.smallBlocksParallel(64, null);
        for (long id = 1; id <= 300; id++) {
            written.add(id * 7, PersonRef.student("P" + id % 40), TestVectors.gaussian(random, 64));
        }
        written.removeSample(14);
        Path file = dir.resolve("snapshot");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            written.writeSnapshot(out);
        }
        GalleryIndex read = new GalleryIndex(64);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            read.readSnapshot(in);
        }

        assertThat(read.size()).isEqualTo(299);
        assertThat(read.personCount()).isEqualTo(written.personCount());
        for (int q = 0; q < 50; q++) {
            float[] query = TestVectors.gaussian(random, 64);
            assertThat(read.search(query, SearchOptions.top(5))).isEqualTo(written.search(query, SearchOptions.top(5)));
        }
    }
}
