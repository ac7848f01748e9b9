package io.rollcall.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The window, on a clock the test moves: never more than the limit in any 60 seconds, and no fewer. */
class SlidingWindowLimiterTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private long now = 1_000_000;
    private final SlidingWindowLimiter limiter = new SlidingWindowLimiter(5, MINUTE, 100, () -> now);

    private SlidingWindowLimiter.Decision at(long millis, String client) {
        now = millis;
        return limiter.acquire(client);
    }

    @Test
    void aBurstGetsExactlyTheLimitAndTheNextIsToldToWaitTheWholeWindow() {
        List<SlidingWindowLimiter.Decision> burst = IntStream.range(0, 6).mapToObj(i -> limiter.acquire("a")).toList();

        assertThat(burst).extracting(SlidingWindowLimiter.Decision::allowed).containsExactly(true, true, true, true, true, false);
        assertThat(burst).extracting(SlidingWindowLimiter.Decision::remaining).containsExactly(4, 3, 2, 1, 0, 0);
        assertThat(burst.getLast().retryAfterSeconds()).isEqualTo(60);
    }

    @Test
    void halfAMinuteLaterNothingMoreIsAllowedUntilTheBurstLeavesTheWindow() {
        long t0 = now;
        IntStream.range(0, 3).forEach(i -> at(t0, "a"));
        IntStream.range(0, 2).forEach(i -> at(t0 + 30_000, "a"));

        SlidingWindowLimiter.Decision halfWay = at(t0 + 30_000, "a");
        SlidingWindowLimiter.Decision justBefore = at(t0 + 59_999, "a");
        List<Boolean> whenTheBurstLeft = IntStream.range(0, 4).mapToObj(i -> at(t0 + 60_000, "a").allowed()).toList();
        SlidingWindowLimiter.Decision after = at(t0 + 60_000, "a");

        assertThat(halfWay.allowed()).isFalse();
        assertThat(halfWay.retryAfterSeconds()).isEqualTo(30);
        assertThat(justBefore.allowed()).isFalse();
        assertThat(justBefore.retryAfterSeconds()).as("0.001 s rounded up").isEqualTo(1);
        assertThat(whenTheBurstLeft).containsExactly(true, true, true, false);
        assertThat(after.retryAfterSeconds()).as("until the requests of t0 + 30 s leave").isEqualTo(30);
    }

    @Test
    void clientsHaveBudgetsOfTheirOwn() {
        IntStream.range(0, 5).forEach(i -> limiter.acquire("a"));

        assertThat(limiter.acquire("a").allowed()).isFalse();
        assertThat(limiter.acquire("b").allowed()).isTrue();
        assertThat(limiter.acquire("b").remaining()).isEqualTo(3);
    }

    @Test
    void underRandomTrafficNoSixtySecondsEverHoldMoreThanTheLimitAndNoRequestIsRefusedBelowIt() {
        int limit = 7;
        SlidingWindowLimiter strict = new SlidingWindowLimiter(limit, MINUTE, 10, () -> now);
        SplittableRandom random = new SplittableRandom(42);
        List<Long> accepted = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 5_000; i++) {
            t += random.nextInt(random.nextInt(10) == 0 ? 20_000 : 3_000);
            now = t;
            SlidingWindowLimiter.Decision d = strict.acquire("c");
            long inWindow = countWithin(accepted, t - 60_000, t);
            if (d.allowed()) {
                assertThat(inWindow).as("at %d ms", t).isLessThan(limit);
                accepted.add(t);
                assertThat(d.remaining()).isEqualTo(limit - inWindow - 1);
            } else {
                assertThat(inWindow).as("refused at %d ms", t).isEqualTo(limit);
                long oldest = accepted.get(accepted.size() - limit);
                assertThat(d.retryAfterSeconds()).isEqualTo(Math.max(1, Math.ceilDiv(oldest + 60_000 - t, 1000)));
            }
        }
        for (int i = 0; i + limit < accepted.size(); i++) {
            assertThat(accepted.get(i + limit) - accepted.get(i)).as("%d+1 accepted within 60 s", limit)
                    .isGreaterThanOrEqualTo(60_000);
        }
        assertThat(accepted.size()).isGreaterThan(1_000);
    }

    @Test
    void aLogGrowsAsItIsUsedUpToTheLimit() {
        SlidingWindowLimiter wide = new SlidingWindowLimiter(100, MINUTE, 10, () -> now);

        List<Boolean> hundredAndOne = IntStream.range(0, 101).mapToObj(i -> {
            now += 10;
            return wide.acquire("d").allowed();
        }).toList();
        now += 60_000 - 1_000;
        SlidingWindowLimiter.Decision afterTheFirstLeft = wide.acquire("d");

        assertThat(hundredAndOne.subList(0, 100)).containsOnly(true);
        assertThat(hundredAndOne.get(100)).isFalse();
        assertThat(afterTheFirstLeft.allowed()).isTrue();
        assertThat(afterTheFirstLeft.remaining()).isZero();
    }

    @Test
    void beyondTheTrackedClientsTheLeastRecentlySeenIsForgotten() {
        SlidingWindowLimiter small = new SlidingWindowLimiter(1, MINUTE, 2, () -> now);
        small.acquire("a");
        small.acquire("b");
        small.acquire("a");

        small.acquire("c");

        assertThat(small.acquire("a").allowed()).as("a was seen after b").isFalse();
        assertThat(small.acquire("b").allowed()).as("b was forgotten").isTrue();
    }

    private static long countWithin(List<Long> times, long after, long atOrBefore) {
        return times.stream().filter(x -> x > after && x <= atOrBefore).count();
    }
}
