package io.rollcall.gallery;

import io.rollcall.person.PersonRef;
import io.rollcall.person.PersonType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Readers search while writers enroll and delete. Every hit must be a sample that was added, with its own
 * person and the similarity of its own vector (so no half-written row), and no sample whose removal had
 * completed before the search started. Bounded by operation counts, not by time.
 */
class GalleryIndexConcurrencyTest {

    private static final int DIM = 32;
    private static final int WRITERS = 2;
    private static final int READERS = 4;
    private static final int OPERATIONS_PER_WRITER = 5_000;
    private static final int MIN_SEARCHES_PER_READER = 300;
    private static final int PERSONS_PER_WRITER = 20;

    private static final ForkJoinPool HELPERS = new ForkJoinPool(3);

    // What the test knows about every sample ever added; ids are never reused and vectors never replaced.
    private final Map<Long, float[]> vectorOf = new ConcurrentHashMap<>();
    private final Map<Long, PersonRef> personOf = new ConcurrentHashMap<>();
    /** Sample id → value of {@link #clock} taken just after its removal returned. */
    private final Map<Long, Long> removedAt = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();

    // Blocks of 8 rows and parallel chunks of 7 rows, so growth, shrinking and helpers all race with writes.
    private final GalleryIndex index = TestVectors.smallBlocksParallel(DIM, HELPERS);

    @AfterAll
    static void stopHelpers() {
        HELPERS.shutdownNow();
    }

    @Test
    @Timeout(120)
    void searchesSeeOnlyWholeLiveRowsWhileWritersAddAndRemove() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + READERS);
        AtomicBoolean writersDone = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Set<Long>>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(threads.submit(() -> {
                    start.await();
                    return write(writer);
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                long seed = 100 + r;
                readers.add(threads.submit(() -> {
                    start.await();
                    return read(seed, writersDone);
                }));
            }
            start.countDown();

            Set<Long> live = new HashSet<>();
            for (Future<Set<Long>> writer : writers) {
                live.addAll(writer.get());
            }
            writersDone.set(true);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get()).isGreaterThanOrEqualTo(MIN_SEARCHES_PER_READER);
            }

            assertThat(index.size()).isEqualTo(live.size());
            for (long id : vectorOf.keySet()) {
                assertThat(index.contains(id)).as("sample %d", id).isEqualTo(live.contains(id));
            }
            for (long id : live) {
                List<GalleryMatch> hits = index.search(vectorOf.get(id), SearchOptions.top(1));
                assertThat(hits).singleElement().extracting(GalleryMatch::sampleId).isEqualTo(id);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Adds, removes samples and removes persons, all on this writer's own persons; returns its live ids. */
    private Set<Long> write(int writer) {
        Random random = new Random(writer);
        Map<PersonRef, Set<Long>> liveByPerson = new HashMap<>();
        List<PersonRef> persons = new ArrayList<>();
        for (int p = 0; p < PERSONS_PER_WRITER; p++) {
            PersonType type = p % 2 == 0 ? PersonType.STUDENT : PersonType.TEACHER;
            PersonRef person = new PersonRef(type, "W" + writer + "P" + p);
            persons.add(person);
            liveByPerson.put(person, new HashSet<>());
        }
        long nextId = writer * 1_000_000L;
        for (int op = 0; op < OPERATIONS_PER_WRITER; op++) {
            PersonRef person = persons.get(random.nextInt(persons.size()));
            Set<Long> ids = liveByPerson.get(person);
            int choice = random.nextInt(100);
            if (choice < 55 || ids.isEmpty()) {
                long id = nextId++;
                float[] embedding = TestVectors.gaussian(random, DIM);
                vectorOf.put(id, embedding);
                personOf.put(id, person);
                index.add(id, person, embedding);
                ids.add(id);
            } else if (choice < 95) {
                long id = ids.iterator().next();
                assertThat(index.removeSample(id)).isTrue();
                removedAt.put(id, clock.incrementAndGet());
                ids.remove(id);
            } else {
                assertThat(index.removePerson(person)).isEqualTo(ids.size());
                long now = clock.incrementAndGet();
                ids.forEach(id -> removedAt.put(id, now));
                ids.clear();
            }
        }
        Set<Long> live = new HashSet<>();
        liveByPerson.values().forEach(live::addAll);
        return live;
    }

    /** Searches until the writers are done (and at least a minimum number of times); returns the count. */
    private int read(long seed, AtomicBoolean writersDone) {
        Random random = new Random(seed);
        PersonType[] filters = {null, PersonType.STUDENT, PersonType.TEACHER};
        int searches = 0;
        while (!writersDone.get() || searches < MIN_SEARCHES_PER_READER) {
            float[] query = TestVectors.gaussian(random, DIM);
            SearchOptions options = new SearchOptions(1 + random.nextInt(8),
                    random.nextBoolean() ? SearchOptions.NO_THRESHOLD : 0.1f, filters[random.nextInt(3)]);
            long startedAt = clock.get();

            List<GalleryMatch> hits = index.search(query, options);

            searches++;
            assertThat(hits.size()).isLessThanOrEqualTo(options.topK());
            assertThat(hits).extracting(GalleryMatch::person).doesNotHaveDuplicates();
            for (int i = 0; i < hits.size(); i++) {
                GalleryMatch hit = hits.get(i);
                long id = hit.sampleId();
                assertThat(vectorOf).as("hit %d was added", id).containsKey(id);
                Long removed = removedAt.get(id);
                assertThat(removed == null || removed > startedAt)
                        .as("sample %d was removed at %d, before the search started at %d", id, removed, startedAt)
                        .isTrue();
                assertThat(hit.person()).isEqualTo(personOf.get(id));
                assertThat(hit.similarity())
                        .isCloseTo((float) TestVectors.cosine(query, vectorOf.get(id)), within(1e-5f));
                assertThat(hit.similarity()).isGreaterThanOrEqualTo(options.minSimilarity());
                if (options.filterOrNull() != null) {
                    assertThat(hit.person().type()).isEqualTo(options.filterOrNull());
                }
                if (i > 0) {
                    GalleryMatch previous = hits.get(i - 1);
                    assertThat(previous.similarity() > hit.similarity()
                            || (previous.similarity() == hit.similarity() && previous.sampleId() < hit.sampleId()))
                            .as("hits ordered best first").isTrue();
                }
            }
        }
        return searches;
    }
}
