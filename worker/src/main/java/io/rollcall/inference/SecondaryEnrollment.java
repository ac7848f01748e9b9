package io.rollcall.inference;

import io.rollcall.person.PersonRef;

/**
 * What else an enrollment must do once its sample is stored and announced: while a candidate pack is loaded, embed
 * the same photo with it, so that the candidate misses no sample enrolled during the switch.
 */
@FunctionalInterface
public interface SecondaryEnrollment {
    SecondaryEnrollment NONE = (sampleId, person, name, image, origin) -> { };

    void enrolled(long sampleId, PersonRef person, String name, byte[] image, String origin);
}
