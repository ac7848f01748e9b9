package io.rollcall.gallery;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SampleRowMapTest {

    @Test
    void behavesLikeAHashMapThroughGrowthAndManyRemovals() {
        SampleRowMap map = new SampleRowMap();
        Map<Long, Integer> reference = new HashMap<>();
        Random random = new Random(3);
        // A small key space forces long probe runs, collisions and backward shifts across the wrap-around.
        for (int step = 0; step < 200_000; step++) {
            long key = random.nextInt(3_000) - 1_000L;
            switch (random.nextInt(3)) {
                case 0 -> {
                    int row = random.nextInt(1_000_000);
                    assertThat(map.put(key, row)).isEqualTo(reference.getOrDefault(key, SampleRowMap.ABSENT));
                    reference.put(key, row);
                }
                case 1 -> assertThat(map.remove(key))
                        .isEqualTo(orAbsent(reference.remove(key)));
                default -> assertThat(map.get(key)).isEqualTo(reference.getOrDefault(key, SampleRowMap.ABSENT));
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        for (long key = -1_000; key < 2_000; key++) {
            assertThat(map.get(key)).isEqualTo(reference.getOrDefault(key, SampleRowMap.ABSENT));
        }
    }

    @Test
    void acceptsEveryLongAsAKey() {
        SampleRowMap map = new SampleRowMap();
        map.put(Long.MIN_VALUE, 1);
        map.put(-1, 2);
        map.put(0, 3);
        map.put(Long.MAX_VALUE, 4);

        assertThat(map.get(Long.MIN_VALUE)).isEqualTo(1);
        assertThat(map.get(-1)).isEqualTo(2);
        assertThat(map.get(0)).isEqualTo(3);
        assertThat(map.get(Long.MAX_VALUE)).isEqualTo(4);
        assertThat(map.remove(0)).isEqualTo(3);
        assertThat(map.get(0)).isEqualTo(SampleRowMap.ABSENT);
        assertThat(map.size()).isEqualTo(3);
    }

    @Test
    void clearForgetsEverything() {
        SampleRowMap map = new SampleRowMap();
        for (long key = 0; key < 1_000; key++) {
            map.put(key, (int) key);
        }

        map.clear();

        assertThat(map.size()).isZero();
        assertThat(map.get(5)).isEqualTo(SampleRowMap.ABSENT);
    }

    private static int orAbsent(Integer row) {
        return row == null ? SampleRowMap.ABSENT : row;
    }
}
