package io.rollcall.gallery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PersonTopKTest {

    private record Entry(int ordinal, float score, long sampleId) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingDouble(Entry::score).reversed()
            .thenComparingLong(Entry::sampleId);

    @Test
    void keepsTheBestSampleOfTheBestPersonsForAnyOfferOrder() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            int capacity = 1 + random.nextInt(20);
            int persons = 1 + random.nextInt(60);
            int count = 1 + random.nextInt(400);
            List<Long> sampleIds = new ArrayList<>();
            for (long id = 0; id < count; id++) {
                sampleIds.add(id * 3);
            }
            Collections.shuffle(sampleIds, random);
            List<Entry> offers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                // Coarse scores make ties frequent, so the sample-id tie-break is exercised.
                offers.add(new Entry(random.nextInt(persons), random.nextInt(50) / 10f, sampleIds.get(i)));
            }
            // Ascending scores are the worst case: every offer enters and evicts.
            if (round % 3 == 0) {
                offers.sort(BEST_FIRST.reversed());
            }

            PersonTopK top = new PersonTopK(capacity);
            offers.forEach(entry -> top.offer(entry.ordinal(), entry.score(), entry.sampleId()));

            assertThat(drain(top)).as("round %d", round).containsExactlyElementsOf(expected(offers, capacity));
        }
    }

    @Test
    void mergingPartsGivesWhatOneCollectorGives() {
        Random random = new Random(5);
        for (int round = 0; round < 100; round++) {
            int capacity = 1 + random.nextInt(10);
            List<Entry> offers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                offers.add(new Entry(random.nextInt(40), random.nextInt(30) / 10f, i));
            }
            PersonTopK merged = new PersonTopK(capacity);
            for (int part = 0; part < 3; part++) {
                PersonTopK partTop = new PersonTopK(capacity);
                for (int i = part * 100; i < (part + 1) * 100; i++) {
                    Entry entry = offers.get(i);
                    partTop.offer(entry.ordinal(), entry.score(), entry.sampleId());
                }
                merged.offerAll(partTop);
            }

            assertThat(drain(merged)).containsExactlyElementsOf(expected(offers, capacity));
        }
    }

    private static List<Entry> expected(List<Entry> offers, int capacity) {
        Map<Integer, Entry> best = new HashMap<>();
        for (Entry entry : offers) {
            best.merge(entry.ordinal(), entry, (a, b) -> BEST_FIRST.compare(a, b) <= 0 ? a : b);
        }
        return best.values().stream().sorted(BEST_FIRST).limit(capacity).toList();
    }

    private static List<Entry> drain(PersonTopK top) {
        int[] ordinals = new int[top.size()];
        float[] scores = new float[top.size()];
        long[] sampleIds = new long[top.size()];
        int count = top.drainBestFirst(ordinals, scores, sampleIds);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(ordinals[i], scores[i], sampleIds[i]));
        }
        return entries;
    }
}
