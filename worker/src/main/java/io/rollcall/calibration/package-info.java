/**
 * Verification arithmetic over similarity scores: false and true accept rates, and the threshold that keeps the
 * false accept rate at a target. Plain Java, shared by {@code ./rollcall eval} and the migration's validation.
 */
package io.rollcall.calibration;
