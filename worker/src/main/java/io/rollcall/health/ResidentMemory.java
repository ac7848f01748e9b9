package io.rollcall.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, read from {@code /proc/self/status} (Linux). */
public final class ResidentMemory {
    private ResidentMemory() {
    }

    /** Current resident set size in bytes (VmRSS), or -1 off Linux. */
    public static long currentBytes() {
        return status("VmRSS");
    }

    /** Peak resident set size in bytes (VmHWM), or -1 off Linux. */
    public static long peakBytes() {
        return status("VmHWM");
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
