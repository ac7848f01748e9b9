package io.rollcall.storage;

/** What one entry of a face listing stands for. */
public enum FaceListing {
    /** One entry per person: their oldest sample, with the number of samples they have. */
    PER_PERSON,
    /** One entry per face sample ({@code FaceData} row), as the Node.js server listed them. */
    PER_SAMPLE
}
