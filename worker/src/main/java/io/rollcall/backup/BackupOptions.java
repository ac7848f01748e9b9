package io.rollcall.backup;

/**
 * What a backup leaves out.
 *
 * @param images          include the photos ({@code FaceData.ImageData}, {@code Student.StudentImage},
 *                        {@code Teacher.TeacherImage}); without them a restored school cannot be re-embedded with
 *                        another pack
 * @param recognitionLogs include {@code FaceRecognitionLogs}
 */
public record BackupOptions(boolean images, boolean recognitionLogs) {
    public static final BackupOptions EVERYTHING = new BackupOptions(true, true);
}
