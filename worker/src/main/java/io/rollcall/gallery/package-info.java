/**
 * The in-memory face gallery: exact cosine search over the enrolled samples' embeddings.
 *
 * <p>{@link io.rollcall.gallery.GalleryIndex} is the one entry point; {@link io.rollcall.gallery.SearchOptions},
 * {@link io.rollcall.gallery.GalleryMatch}, {@link io.rollcall.gallery.GallerySample} and
 * {@link io.rollcall.gallery.GalleryStats} are its immutable inputs and outputs. Everything else is
 * package-private machinery: the Vector API kernel, the sample-id map and the bounded best-per-person collector.
 * No Spring here: the service wires the index in and keeps it in step with the database.
 */
package io.rollcall.gallery;
