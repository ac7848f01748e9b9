package io.rollcall.bulk;

import io.rollcall.config.EnvSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where bulk-import photos are read from.
 *
 * @param importDir {@code BULK_IMPORT_DIR}, default {@code ${DATA_DIR}/import} ({@code DATA_DIR} defaults to
 *                  {@code ./data}); with several workers, a folder (volume) they all see at this path
 */
public record BulkImportSettings(Path importDir) {

    public static BulkImportSettings from(Map<String, String> environment) {
        EnvSettings env = new EnvSettings(environment);
        Path dataDir = Path.of(env.string("DATA_DIR", "./data"));
        String configured = env.string("BULK_IMPORT_DIR", null);
        Path dir = configured != null ? Path.of(configured) : dataDir.resolve("import");
        return new BulkImportSettings(dir.toAbsolutePath().normalize());
    }
}
