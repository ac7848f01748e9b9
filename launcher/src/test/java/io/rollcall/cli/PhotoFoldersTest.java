package io.rollcall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.imaging.ImportPath;
import io.rollcall.ingress.bulk.ImportCsv;
import io.rollcall.person.PersonRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoFoldersTest {
    @TempDir
    Path importDir;

    private void file(String path) throws IOException {
        Path p = importDir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
    }

    @Test
    void turnsPersonFoldersIntoRowsWithPathsRelativeToTheImportFolder() throws IOException {
        file("2026/student/S001_Ada_Lovelace/1.jpg");
        file("2026/student/S001_Ada_Lovelace/2.PNG");
        file("2026/student/S001_Ada_Lovelace/notes.txt");
        file("2026/student/S001_Ada_Lovelace/.hidden.jpg");
        file("2026/Teachers/T01 Alan  Turing/portrait.webp");

        PhotoFolders.Scan scan = PhotoFolders.scan(importDir.resolve("2026"), importDir);

        assertThat(scan.problems()).isEmpty();
        assertThat(scan.rows()).containsExactly(
                new ImportCsv.Row(2, PersonRef.teacher("T01"), "Alan Turing", new ImportPath("2026/Teachers/T01 Alan  Turing/portrait.webp")),
                new ImportCsv.Row(3, PersonRef.student("S001"), "Ada Lovelace", new ImportPath("2026/student/S001_Ada_Lovelace/1.jpg")),
                new ImportCsv.Row(4, PersonRef.student("S001"), "Ada Lovelace", new ImportPath("2026/student/S001_Ada_Lovelace/2.PNG")));
    }

    @Test
    void theFolderMayItselfBeATypeFolder() throws IOException {
        file("students/S002_Grace_Hopper/a.jpeg");

        PhotoFolders.Scan scan = PhotoFolders.scan(importDir.resolve("students"), importDir);

        assertThat(scan.rows()).extracting(r -> r.imagePath().value()).containsExactly("students/S002_Grace_Hopper/a.jpeg");
    }

    @Test
    void reportsEverythingThatDoesNotFitTheLayoutInsteadOfGuessing() throws IOException {
        file("x/student/S001/1.jpg");
        file("x/student/S12345678901_Too_Long/1.jpg");
        file("x/student/S003_Empty/readme.txt");
        file("x/parents/P1_Someone/1.jpg");

        PhotoFolders.Scan scan = PhotoFolders.scan(importDir.resolve("x"), importDir);

        assertThat(scan.rows()).isEmpty();
        assertThat(scan.problems()).containsExactly(
                "x/parents: not a student or teacher folder",
                "x/student/S001: name the folder <person_code>_<Name>, for example S001_Ada_Lovelace",
                "x/student/S003_Empty: no .jpg, .jpeg, .png or .webp photo",
                "x/student/S12345678901_Too_Long/1.jpg: person_code must be at most 10 characters, got 12");
    }

    @Test
    void aFolderOutsideTheImportFolderIsRefused(@TempDir Path elsewhere) throws IOException {
        Files.createDirectories(elsewhere.resolve("student/S001_Ada/"));

        PhotoFolders.Scan scan = PhotoFolders.scan(elsewhere, importDir);

        assertThat(scan.rows()).isEmpty();
        assertThat(scan.problems()).singleElement().asString().contains("is not inside the import folder");
    }
}
