/**
 * Changing the model pack while the service runs: a candidate loaded beside the active pack on every worker, its
 * embedding job, the commit that switches every worker at one point of the gallery log, abandon and purge.
 */
package io.rollcall.packs;
