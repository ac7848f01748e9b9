package io.rollcall.engine.detect;

/** A landmark in original image pixels. */
public record Point(float x, float y) {
}
