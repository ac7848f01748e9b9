package io.rollcall.packs;

import io.rollcall.engine.model.ModelPack;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether this worker can hold a second pack. Estimates, named as such: ONNX Runtime holds a model in native memory
 * at about {@link #SESSION_FACTOR} times its file size (weights, plus the optimised graph and arenas, measured on the
 * dev pack); the gallery holds each sample's floats on the heap, with {@link #GALLERY_FACTOR} for the index's
 * blocks and maps. A candidate is refused when either would take more than what is free now, so that a switch can
 * never push a serving worker into swapping or an OutOfMemoryError.
 */
final class MemoryCheck {
    static final double SESSION_FACTOR = 3.0;
    static final double GALLERY_FACTOR = 1.5;

    private MemoryCheck() {
    }

    /** @throws RollcallException {@code PACK_SWITCH_REFUSED} naming what does not fit */
    static void requireRoomFor(ModelPack pack, long samples) {
        long modelBytes = size(pack.detector()) + size(pack.recognizer());
        long nativeNeed = (long) (modelBytes * SESSION_FACTOR);
        long heapNeed = (long) (samples * (long) pack.embeddingDim() * Float.BYTES * GALLERY_FACTOR);
        Runtime rt = Runtime.getRuntime();
        long heapFree = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long nativeFree = memAvailable();
        if (heapNeed > heapFree || (nativeFree >= 0 && nativeNeed > nativeFree)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pack", pack.name());
            details.put("gallery_bytes_needed", heapNeed);
            details.put("heap_bytes_free", heapFree);
            details.put("model_bytes_needed", nativeNeed);
            details.put("memory_bytes_available", nativeFree);
            throw new RollcallException(ErrorCode.PACK_SWITCH_REFUSED, "Not enough memory on this worker to load pack "
                    + pack.name() + " beside the active one: give the workers more memory (-Xmx in ROLLCALL_JAVA_OPTS,"
                    + " or the container's limit) or switch with a restart", details);
        }
    }

    private static long size(ModelPack.ModelFile file) {
        return file.size() == null ? 0 : file.size();
    }

    /** MemAvailable from /proc/meminfo, in bytes; -1 where it cannot be read (not Linux). */
    private static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
