/** The model-pack lifecycle's endpoints ({@code /api/admin/model}): switch, commit, abandon, purge, status. */
package io.rollcall.ingress.model;
