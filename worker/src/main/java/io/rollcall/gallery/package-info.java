/**
 * The in-memory face gallery: cosine search over the enrolled samples' embeddings with the exact scan's answers,
 * from 8-bit codes in the heap and exact rows in a file ({@link io.rollcall.gallery.GalleryIndex}), loaded from the
 * database or from a snapshot ({@link io.rollcall.gallery.GallerySnapshot}) and kept in step with it
 * ({@link io.rollcall.gallery.GallerySync}, {@link io.rollcall.gallery.GalleryReconciler}).
 *
 * <p>{@link io.rollcall.gallery.GalleryIndex} is the one entry point; {@link io.rollcall.gallery.SearchOptions},
 * {@link io.rollcall.gallery.GalleryMatch}, {@link io.rollcall.gallery.GallerySample} and
 * {@link io.rollcall.gallery.GalleryStats} are its immutable inputs and outputs. Everything else is
 * package-private machinery: the Vector API kernels, the exact-row file, the snapshot format, the sample-id map and
 * the bounded collectors of candidate rows and best persons.
 * No Spring here: the service wires the index in and keeps it in step with the database.
 */
package io.rollcall.gallery;
