/**
 * Moving stored samples to another model pack ({@code ./rollcall reembed}): every {@code FaceData} row whose
 * descriptor is of another pack is embedded again from its stored photo with the configured pack, in place.
 *
 * <p>Entry point: {@link io.rollcall.reembed.Reembedder}. The SQL is {@link io.rollcall.storage.DescriptorRepository}'s;
 * the face is chosen by {@link io.rollcall.reembed.EnginePhotoEmbedder} with the enrollment's primary-face rule.
 */
package io.rollcall.reembed;
