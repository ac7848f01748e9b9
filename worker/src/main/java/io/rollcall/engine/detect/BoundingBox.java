package io.rollcall.engine.detect;

/** A face box in original image pixels: top-left (x1, y1), bottom-right (x2, y2). */
public record BoundingBox(float x1, float y1, float x2, float y2) {
    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return width() * height();
    }
}
