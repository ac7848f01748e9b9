package io.rollcall.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a benchmark ran on, read from /proc where available. */
public record MachineInfo(String cpu, int cores, long memoryBytes, String jvm, String os) {

    public static MachineInfo current() {
        String cpu = lineValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        long memKb = lineValue(Path.of("/proc/meminfo"), "MemTotal").map(MachineInfo::kilobytes).orElse(0L);
        return new MachineInfo(cpu, Runtime.getRuntime().availableProcessors(), memKb * 1024,
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    private static java.util.Optional<String> lineValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    return java.util.Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    private static long kilobytes(String value) {
        return Long.parseLong(value.replaceAll("[^0-9]", ""));
    }
}
