package io.rollcall.engine;

/** Milliseconds spent in each stage of one analysis, including the wait for an inference slot. */
public record StageTimings(double queueMs, double detectMs, double alignMs, double embedMs) {
    public double totalMs() {
        return queueMs + detectMs + alignMs + embedMs;
    }
}
