/**
 * Benchmarks run by hand, not by the build: their figures depend on the machine.
 */
package io.rollcall.bench;
