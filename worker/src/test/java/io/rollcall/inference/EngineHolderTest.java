package io.rollcall.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.engine.EngineSettings;
import io.rollcall.engine.model.ModelSettings;
import io.rollcall.error.ErrorCode;
import io.rollcall.error.RollcallException;
import io.rollcall.testing.DevData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineHolderTest {
    @TempDir
    Path models;

    @Test
    void aMissingPackLeavesTheWorkerUpReportingWhatIsMissingAndIsPickedUpOnceInstalled() throws Exception {
        MutableClock clock = new MutableClock();
        EngineHolder holder = new EngineHolder(new ModelSettings(models, "dev", false), EngineSettings.defaults(),
                Duration.ofSeconds(30), clock);
        assertThat(holder.loaded()).isEmpty();
        assertThatThrownBy(holder::engine).isInstanceOfSatisfying(RollcallException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_LOADED);
            assertThat(e.getMessage()).contains("det_500m.onnx");
            assertThat(e.details()).containsKey("install_command");
        });

        // The operator installs the pack while the worker runs.
        for (String file : new String[] {"buffalo_sc/det_500m.onnx", "faceplugin/fr_feature.onnx"}) {
            Files.createDirectories(models.resolve(file).getParent());
            Files.copy(DevData.models().resolve(file), models.resolve(file));
        }
        // Not retried before the interval has passed...
        assertThatThrownBy(holder::engine).isInstanceOf(RollcallException.class);
        // ...and loaded on the first call after it.
        clock.advance(Duration.ofSeconds(31));
        assertThat(holder.engine().pack().name()).isEqualTo("dev");
        holder.close();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-21T08:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
